package dev.ferry.protocol.bus;

import dev.ferry.protocol.store.AtomicFile;
import dev.ferry.protocol.store.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokens storage-service signs its {@link QuotaApi#ADJUST} requests with, so that only it
 * can change an account's usage. Its own EC P-256 key pair lives on the data volume, which
 * storage and quota mount and the gateway does not: {@code <data>/keys/storage-private.pem}
 * (the private key followed by its public key, 0600) and {@code <data>/keys/storage-public.pem}.
 * The first storage node to start creates them; quota-service reads the public one. A token is
 * an ES256 JWT whose subject is {@link #SUBJECT}, a name no account can have.
 */
public final class StorageTokens {

  /** The principal of storage-service's tokens: '@' is never in an account name (AccountName). */
  public static final String SUBJECT = "@storage";
  public static final String KEYS_DIR = "keys";
  public static final String PRIVATE_FILE = "storage-private.pem";
  public static final String PUBLIC_FILE = "storage-public.pem";
  /** How long a token lives; the signer renews it once half of that has gone. */
  public static final int TTL_SECONDS = 300;
  /**
   * How far the clocks of a storage node and a quota node may differ: a token just issued by a
   * clock ahead of quota's is not refused as "issued in the future".
   */
  public static final int CLOCK_SKEW_SECONDS = 30;

  private static final Pattern PRIVATE_PEM =
    Pattern.compile("-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\s]+-----END PRIVATE KEY-----\\s*");

  private StorageTokens() {
  }

  public static Path privateKeyFile(Path dataDir) {
    return dataDir.resolve(KEYS_DIR).resolve(PRIVATE_FILE);
  }

  public static Path publicKeyFile(Path dataDir) {
    return dataDir.resolve(KEYS_DIR).resolve(PUBLIC_FILE);
  }

  /**
   * The key pair of {@code dataDir} as PEM texts [private, public], created when absent. The
   * private file is the one that decides: it is written whole to a temp file and then linked into
   * place, which fails when it exists, so of nodes starting at once one wins and the others read
   * its pair. The public file is then (re)written from it. Blocking: call it on a worker.
   */
  public static String[] loadOrCreate(Path dataDir) throws IOException {
    Path privateFile = privateKeyFile(dataDir);
    PrivateFiles.createDirectories(privateFile.getParent());
    if (!Files.exists(privateFile)) {
      String[] fresh = TokenKeys.generate();
      Path temp = privateFile.resolveSibling(PRIVATE_FILE + "." + ProcessHandle.current().pid() + "."
        + Thread.currentThread().getId() + AtomicFile.TEMP_SUFFIX);
      Files.deleteIfExists(temp);
      try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PrivateFiles.fileAttributes(temp.getParent()))) {
        ByteBuffer buf = ByteBuffer.wrap((fresh[0] + fresh[1]).getBytes(StandardCharsets.US_ASCII));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.createLink(privateFile, temp);
      } catch (FileAlreadyExistsException lost) {
        // Another node created the pair first: use its pair.
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    String text = Files.readString(privateFile, StandardCharsets.US_ASCII);
    Matcher privatePart = PRIVATE_PEM.matcher(text);
    List<String> publicPart = TokenKeys.publicKeys(text);
    if (!privatePart.find() || publicPart.size() != 1) {
      throw new IOException(privateFile + " does not hold one private and one public PEM key");
    }
    String[] pair = {privatePart.group().strip() + "\n", publicPart.get(0)};
    Path publicFile = publicKeyFile(dataDir);
    if (!Files.exists(publicFile) || !Files.readString(publicFile, StandardCharsets.US_ASCII).equals(pair[1])) {
      AtomicFile.write(publicFile, pair[1].getBytes(StandardCharsets.US_ASCII));
    }
    return pair;
  }

  /** The public key in {@code <data>/keys/storage-public.pem}. Blocking: call it on a worker. */
  public static String readPublicKey(Path dataDir) throws IOException {
    List<String> keys = TokenKeys.publicKeys(Files.readString(publicKeyFile(dataDir), StandardCharsets.US_ASCII));
    if (keys.size() != 1 || !TokenKeys.isEcPublicKey(keys.get(0))) {
      throw new IOException(publicKeyFile(dataDir) + " does not hold one EC public key");
    }
    return keys.get(0);
  }

  /** Signs storage's tokens; keeps one and renews it before it expires. Use on one event loop. */
  public static final class Signer {

    private final JWTAuth jwt;
    private final String kid;
    private String token;
    private long renewAtMillis;

    public Signer(Vertx vertx, String privateKeyPem, String publicKeyPem) {
      this.kid = TokenKeys.kid(publicKeyPem);
      this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(SessionTokens.ALGORITHM).setId(kid).setBuffer(privateKeyPem)));
    }

    /** A token valid for at least half of {@link #TTL_SECONDS}. */
    public String token() {
      long now = System.currentTimeMillis();
      if (token == null || now >= renewAtMillis) {
        token = jwt.generateToken(new JsonObject(), new JWTOptions().setAlgorithm(SessionTokens.ALGORITHM)
          .setHeader(new JsonObject().put("kid", kid)).setSubject(SUBJECT).setExpiresInSeconds(TTL_SECONDS));
        renewAtMillis = now + TTL_SECONDS * 500L;
      }
      return token;
    }
  }

  /** Accepts storage's tokens only. */
  public static final class Verifier {

    private final JWTAuth jwt;

    public Verifier(Vertx vertx, String publicKeyPem) {
      this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setLeeway(CLOCK_SKEW_SECONDS))
        .addPubSecKey(new PubSecKeyOptions()
          .setAlgorithm(SessionTokens.ALGORITHM).setId(TokenKeys.kid(publicKeyPem)).setBuffer(publicKeyPem)));
    }

    /** Succeeds for a valid token of {@link #SUBJECT}; fails with {@link Failure#NO_PERMISSION} otherwise. */
    public Future<Void> verify(String token) {
      if (token == null || token.isEmpty()) {
        return Future.failedFuture(Failure.NO_PERMISSION.exception());
      }
      return jwt.authenticate(new TokenCredentials(token)).transform(ar ->
        ar.succeeded() && SUBJECT.equals(ar.result().principal().getString("sub"))
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(Failure.NO_PERMISSION.exception()));
    }
  }
}
