package dev.ferry.server;

import dev.ferry.auth.TokenSigner;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.TokenKeys;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session-token key pair of a test cluster, made once per JVM and written as the files an
 * operator would give ({@code tokenPrivateKeyPath} to auth, {@code tokenPublicKeyPath} to all).
 */
public final class TokenKeyKit {

  private static final String[] PAIR = TokenKeys.generate();

  private TokenKeyKit() {
  }

  /** Writes the pair under {@code dir}: [private, public]. */
  public static Path[] write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path privateKey = Files.writeString(dir.resolve("token-private.pem"), PAIR[0]);
    Path publicKey = Files.writeString(dir.resolve("token-public.pem"), PAIR[1]);
    return new Path[] {privateKey, publicKey};
  }

  /** The environment of a process: the public key always, the private one only where auth runs. */
  public static Map<String, String> env(Path dir, boolean auth) throws IOException {
    Path[] files = write(dir);
    Map<String, String> env = new HashMap<>();
    env.put(Setting.TOKEN_PUBLIC_KEY_PATH.env(), files[1].toString());
    if (auth) {
      env.put(Setting.TOKEN_PRIVATE_KEY_PATH.env(), files[0].toString());
    }
    return env;
  }

  /** Both key paths, as settings of an in-process server that runs auth. */
  public static JsonObject config(Path dir) throws IOException {
    Path[] files = write(dir);
    return new JsonObject().put(Setting.TOKEN_PRIVATE_KEY_PATH.key(), files[0].toString())
      .put(Setting.TOKEN_PUBLIC_KEY_PATH.key(), files[1].toString());
  }

  /** A token as auth-service signs it. */
  public static String issue(Vertx vertx, String account, Role role) {
    return signer(vertx, PAIR[0], PAIR[1]).issue(new Principal(account, role));
  }

  /** A token signed with another key pair: well-formed, and from no key the cluster knows. */
  public static String forged(Vertx vertx, String account, Role role) {
    String[] other = TokenKeys.generate();
    return signer(vertx, other[0], other[1]).issue(new Principal(account, role));
  }

  private static TokenSigner signer(Vertx vertx, String privatePem, String publicPem) {
    return new TokenSigner(vertx, privatePem, List.of(publicPem), 300, TokenRevocations.unshared(vertx, 900));
  }
}
