package dev.ferry.protocol.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port that must stay free until a process started later binds it, as a cluster
 * member list names its members' ports in advance. A port the OS hands out for {@code bind(0)}
 * comes from the ephemeral range, where any outgoing connection may take it meanwhile; this one
 * comes from below that range, which the OS never gives to outgoing connections.
 */
public final class LoopbackPorts {

  private static final int LOWEST = 20_000;
  private static final int ATTEMPTS = 200;
  /** Linux's default first ephemeral port, when the system does not say. */
  private static final int EPHEMERAL_START = 32_768;

  private LoopbackPorts() {
  }

  /** A port below the ephemeral range that nothing on 127.0.0.1 holds now. */
  public static int reservable() throws IOException {
    int end = Math.max(LOWEST + 1_000, firstEphemeral());
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, end);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new IOException("no free loopback port between " + LOWEST + " and " + end + " after " + ATTEMPTS + " tries");
  }

  private static int firstEphemeral() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return EPHEMERAL_START;
    }
  }
}
