package dev.ferry.client.transfer;

import dev.ferry.client.Target;
import dev.ferry.client.UsageException;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-shot {@code get} or {@code put} command line, split into the server and the arguments of
 * the shell form (the same command typed in the shell once logged in):
 * <pre>
 * ferry get alice@host:/home/alice/a.bin ./a.bin           -> get -- /home/alice/a.bin ./a.bin
 * ferry get alice@host:a.bin alice@host:b.bin              -> get -- a.bin b.bin .
 * ferry put ./a.bin ./b.bin alice@host:/home/alice/docs    -> put -- ./a.bin ./b.bin /home/alice/docs
 * ferry put ./a.bin alice@host                             -> put -- ./a.bin ""   (the home)
 * </pre>
 *
 * @param target the server, and for {@code get} the first remote path
 * @param args   the arguments of the shell form: options, {@code --}, then every operand
 */
public record OneShotTransfer(Target target, List<String> args) {

  public OneShotTransfer {
    args = List.copyOf(args);
  }

  /**
   * {@code get}: the first operand names the server and a remote path; the operands after it
   * that start with the same {@code [user@]host[:port]:} are remote paths too; at most one local
   * destination may follow (the current directory when none).
   */
  public static OneShotTransfer download(List<String> rest, String defaultUser) throws UsageException {
    TransferArguments parsed = TransferArguments.parse(rest, false);
    List<String> operands = parsed.operands();
    Target target = Target.parseRemote(operands.get(0), defaultUser);
    List<String> shellOperands = new ArrayList<>();
    shellOperands.add(target.path());
    int i = 1;
    while (i < operands.size() && !target.prefix().isEmpty() && operands.get(i).startsWith(target.prefix())) {
      shellOperands.add(operands.get(i).substring(target.prefix().length()));
      i++;
    }
    if (operands.size() - i > 1) {
      throw new UsageException("get.one-local", operands.get(i));
    }
    shellOperands.add(i < operands.size() ? operands.get(i) : ".");
    return new OneShotTransfer(target, parsed.withOperands(shellOperands));
  }

  /** {@code put}: local operands, then {@code [user@]host[:port][:dir]} last. */
  public static OneShotTransfer upload(List<String> rest, String defaultUser) throws UsageException {
    TransferArguments parsed = TransferArguments.parse(rest, true);
    List<String> operands = parsed.operands();
    if (operands.size() < 2) {
      throw new UsageException("put.missing-server");
    }
    Target target = Target.parseRemote(operands.get(operands.size() - 1), defaultUser);
    List<String> shellOperands = new ArrayList<>(operands.subList(0, operands.size() - 1));
    shellOperands.add(target.path());
    return new OneShotTransfer(target, parsed.withOperands(shellOperands));
  }
}
