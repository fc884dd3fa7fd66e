package dev.ferry.server;

import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x instances of one Hazelcast cluster on 127.0.0.1, in this JVM: each member on a port the
 * OS picked, all of them listed for TCP-IP discovery (STACK.md: no ranges, no multicast).
 * Closing it closes every member that joined, the last first.
 */
final class LoopbackCluster implements AutoCloseable {

  private final List<Integer> ports = new ArrayList<>();
  private final List<String> members = new ArrayList<>();
  private final List<Vertx> joined = new ArrayList<>();

  LoopbackCluster(int size) throws IOException {
    for (int i = 0; i < size; i++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        ports.add(socket.getLocalPort());
      }
      members.add("127.0.0.1:" + ports.get(i));
    }
  }

  /** Member {@code index} joins the cluster: a clustered Vert.x. */
  Vertx join(int index) throws Exception {
    Vertx vertx = HazelcastCluster.join(HazelcastCluster.config("127.0.0.1", ports.get(index), members), "127.0.0.1")
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    joined.add(vertx);
    return vertx;
  }

  @Override
  public void close() throws Exception {
    for (int i = joined.size() - 1; i >= 0; i--) {
      joined.get(i).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
