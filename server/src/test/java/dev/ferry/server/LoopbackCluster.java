package dev.ferry.server;

import dev.ferry.protocol.net.LoopbackPorts;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Vert.x instances of one Hazelcast cluster on 127.0.0.1, in this JVM: each member on a port the
 * OS picked, all of them listed for TCP-IP discovery (STACK.md: no ranges, no multicast).
 * Closing it closes every member that joined, the last first.
 */
final class LoopbackCluster implements AutoCloseable {

  private final List<Integer> ports = new ArrayList<>();
  private final List<String> members = new ArrayList<>();
  private final List<Vertx> joined = new ArrayList<>();
  /** The cluster CA and one certificate per member, made for this cluster alone. */
  private final Path certificates;

  LoopbackCluster(int size) throws IOException {
    for (int i = 0; i < size; i++) {
      ports.add(LoopbackPorts.reservable());
      members.add("127.0.0.1:" + ports.get(i));
    }
    certificates = Files.createTempDirectory("ferry-cluster-tls");
  }

  /** Member {@code index}'s cluster credentials: a certificate of this cluster's CA. */
  ClusterCredentials credentials(int index) throws IOException {
    String member = "member-" + index;
    if (!Files.exists(certificates.resolve(member + ".crt"))) {
      ClusterCertificates.issue(certificates, member);
    }
    return ClusterCredentials.load(ClusterCertificates.settings(certificates, member));
  }

  /** Member {@code index} joins the cluster: a clustered Vert.x. */
  Vertx join(int index) throws Exception {
    Vertx vertx = HazelcastCluster.join(HazelcastCluster.config("127.0.0.1", ports.get(index), members), credentials(index), "127.0.0.1")
      .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    joined.add(vertx);
    return vertx;
  }

  @Override
  public void close() throws Exception {
    for (int i = joined.size() - 1; i >= 0; i--) {
      joined.get(i).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.list(certificates)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(certificates);
  }
}
