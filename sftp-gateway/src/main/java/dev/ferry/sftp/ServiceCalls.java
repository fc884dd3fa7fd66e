package dev.ferry.sftp;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The services as one SFTP session calls them: blocking requests, made only from the door's own
 * SSH and SFTP threads (never an event loop), each waiting at most
 * {@link SftpOptions#SERVICE_TIMEOUT}, with the session's token kept fresh. Typed failures
 * become the {@link java.nio.file} exceptions SSHD turns into SFTP status codes.
 */
public final class ServiceCalls {

  private final Vertx vertx;
  private final SessionToken token;
  private final long renewAfterNanos;
  private final BusClient storage;
  private final BusClient auth;

  public ServiceCalls(Vertx vertx, SessionToken token, long tokenTtlSeconds) {
    this.vertx = vertx;
    this.token = token;
    this.renewAfterNanos = TimeUnit.SECONDS.toNanos(tokenTtlSeconds) / 2;
    this.storage = new BusClient(vertx, Addresses.STORAGE, SftpOptions.SERVICE_TIMEOUT.toMillis());
    this.auth = new BusClient(vertx, Addresses.AUTH, SftpOptions.SERVICE_TIMEOUT.toMillis());
  }

  /** A storage request ({@link dev.ferry.protocol.bus.StorageApi}, {@link TransferApi} opens) about {@code path}. */
  public JsonObject storage(String action, JsonObject body, String path) throws IOException {
    return await(storage.request(action, token(), body), path);
  }

  /** A node request of an open transfer ({@link TransferApi}): parameters in headers, file bytes as bodies. */
  public <T> T node(String node, String handle, String action, Buffer body, String path, Object... headers) throws IOException {
    return await(this.<T>nodeAsync(node, handle, action, body, headers), path);
  }

  /** The same, not waited for: for writes sent while earlier ones are still being stored. */
  public <T> Future<T> nodeAsync(String node, String handle, String action, Buffer body, Object... headers) throws IOException {
    DeliveryOptions options = (body == null ? new DeliveryOptions() : ChunkCodec.options())
      .setSendTimeout(SftpOptions.SERVICE_TIMEOUT.toMillis())
      .addHeader(BusService.ACTION_HEADER, action)
      .addHeader(BusService.TOKEN_HEADER, token())
      .addHeader(TransferApi.HANDLE, handle);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader((String) headers[i], String.valueOf(headers[i + 1]));
    }
    return vertx.eventBus().<T>request(node, body, options).map(Message::body);
  }

  private String token() throws IOException {
    if (token.ageNanos() >= renewAfterNanos) {
      JsonObject renewed = await(auth.request(AuthApi.RENEW, token.value(), new JsonObject()), "");
      String fresh = renewed.getString(AuthApi.TOKEN);
      if (fresh == null) {
        throw new IOException("auth renewed without a token");
      }
      token.renewed(fresh);
    }
    return token.value();
  }

  /**
   * A node request that finishes what a handle began (publish, close) even on a thread being
   * interrupted: SSHD interrupts an SFTP thread when its channel goes, and then closes the
   * handles the client left open on it. The wait is bounded by the request's own timeout.
   */
  public <T> T nodeToTheEnd(String node, String handle, String action, String path) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          return await(this.<T>nodeAsync(node, handle, action, null), path);
        } catch (InterruptedIOException e) {
          interrupted = true;
          Thread.interrupted();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for a service answer on a thread that may block: never an event loop. */
  public static <T> T await(Future<T> future, String path) throws IOException {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a blocking service call on an event loop");
    }
    try {
      return future.toCompletionStage().toCompletableFuture().get(SftpOptions.SERVICE_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a service");
    } catch (TimeoutException e) {
      throw new IOException("no answer from the services in time", e);
    } catch (ExecutionException e) {
      throw translate(e.getCause(), path);
    }
  }

  /** The SFTP meaning of a service failure; detail of internal ones stays out of the message. */
  static IOException translate(Throwable error, String path) {
    Failure failure = Failure.of(error);
    return switch (failure) {
      case NOT_FOUND -> new NoSuchFileException(path);
      case NO_PERMISSION, UNAUTHENTICATED -> new AccessDeniedException(path);
      case ALREADY_EXISTS -> new FileAlreadyExistsException(path);
      case NOT_EMPTY -> new DirectoryNotEmptyException(path);
      case NOT_A_DIRECTORY -> new NotDirectoryException(path);
      case IS_A_DIRECTORY -> new FileSystemException(path, null, "is a directory");
      case BAD_NAME -> new FileSystemException(path, null, "bad name");
      case QUOTA_EXCEEDED -> new FileSystemException(path, null, "quota exceeded");
      case TOO_MANY_ENTRIES -> new FileSystemException(path, null, "too many files in the home");
      case BUSY -> new FileSystemException(path, null, "busy, try again later");
      case BAD_OFFSET -> new FileSystemException(path, null, "write not at the end of the data so far");
      case CHECKSUM_MISMATCH -> new FileSystemException(path, null, "checksum mismatch");
      default -> new IOException("server error", error);
    };
  }
}
