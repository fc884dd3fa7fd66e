package dev.ferry.gateway.transfer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TransferBudgetTest {

  @Test
  void waitersAreCalledInOrderAsBytesComeBack() {
    TransferBudget budget = new TransferBudget(10);
    assertThat(budget.tryTake(6)).isTrue();
    assertThat(budget.tryTake(6)).as("would pass the capacity").isFalse();
    List<String> woken = new ArrayList<>();
    budget.whenAvailable(() -> woken.add("first"));
    budget.whenAvailable(() -> woken.add("second"));
    budget.take(4);
    assertThat(budget.spent()).isTrue();
    budget.release(4);
    assertThat(woken).containsExactly("first", "second");
    assertThat(budget.used()).isEqualTo(6);
  }

  @Test
  void aChunkLargerThanTheWholeBudgetStillGoesAloneSoNothingWaitsForever() {
    TransferBudget budget = new TransferBudget(10);
    assertThat(budget.tryTake(64)).isTrue();
    assertThat(budget.tryTake(1)).isFalse();
    budget.release(64);
    assertThat(budget.tryTake(1)).isTrue();
  }

  @Test
  void aWaiterThatMustWaitAgainIsCalledOncePerRelease() {
    TransferBudget budget = new TransferBudget(10);
    budget.take(10);
    int[] calls = {0};
    Runnable[] retry = new Runnable[1];
    retry[0] = () -> {
      calls[0]++;
      if (!budget.tryTake(5)) {
        budget.whenAvailable(retry[0]);
      }
    };
    budget.whenAvailable(retry[0]);
    budget.release(3);
    assertThat(calls[0]).isEqualTo(1);
    budget.release(7);
    assertThat(calls[0]).isEqualTo(2);
    assertThat(budget.used()).isEqualTo(5);
  }
}
