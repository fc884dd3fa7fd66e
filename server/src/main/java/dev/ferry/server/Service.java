package dev.ferry.server;

import dev.ferry.auth.AuthVerticle;
import dev.ferry.gateway.GatewayVerticle;
import dev.ferry.quota.QuotaVerticle;
import dev.ferry.sftp.SftpVerticle;
import dev.ferry.storage.StorageVerticle;
import io.vertx.core.Deployable;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The services a Ferry process can run ({@code --services gateway,sftp,auth,quota,storage}), declared
 * in the order a process starts them: the services first, the front doors (gateway, sftp) last,
 * so that their ports open only once whatever of the rest runs beside it is there.
 */
public enum Service {
  AUTH("auth", AuthVerticle::new),
  STORAGE("storage", StorageVerticle::new),
  QUOTA("quota", QuotaVerticle::new),
  GATEWAY("gateway", GatewayVerticle::new),
  SFTP("sftp", SftpVerticle::new);

  private final String label;
  private final Supplier<Deployable> verticle;

  Service(String label, Supplier<Deployable> verticle) {
    this.label = label;
    this.verticle = verticle;
  }

  /** The name in {@code --services} and the {@code services} setting. */
  public String label() {
    return label;
  }

  /** A new verticle of this service, ready to deploy. */
  Deployable newVerticle() {
    return verticle.get();
  }

  /**
   * The services a comma-separated list names ({@code "gateway, storage"}), in starting order.
   *
   * @throws IllegalArgumentException for an empty list or a name that is not a service, naming the valid ones
   */
  public static Set<Service> parseList(String list) {
    EnumSet<Service> services = EnumSet.noneOf(Service.class);
    for (String name : (list == null ? "" : list).split(",")) {
      String trimmed = name.trim().toLowerCase(Locale.ROOT);
      if (trimmed.isEmpty()) {
        continue;
      }
      services.add(Arrays.stream(values()).filter(s -> s.label.equals(trimmed)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name.trim() + "' in services; valid: " + validNames())));
    }
    if (services.isEmpty()) {
      throw new IllegalArgumentException("services must name at least one of: " + validNames());
    }
    return services;
  }

  /** {@code "auth,storage"}: the labels, comma-separated, in starting order. */
  public static String listOf(Set<Service> services) {
    return services.stream().sorted().map(Service::label).collect(Collectors.joining(","));
  }

  private static String validNames() {
    return Arrays.stream(values()).map(Service::label).collect(Collectors.joining(", "));
  }
}
