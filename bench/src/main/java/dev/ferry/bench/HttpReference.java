package dev.ferry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * A trivial plain HTTP server in the bench JVM for when vsftpd is not installed: GET sends a
 * file of the served directory (sendfile), PUT streams the body into one.
 */
final class HttpReference implements Reference {

  private static final String TINY = "tiny.txt";

  private final Vertx vertx;
  private final HttpServer server;
  private final Path root;

  private HttpReference(Vertx vertx, HttpServer server, Path root) {
    this.vertx = vertx;
    this.server = server;
    this.root = root;
  }

  static HttpReference start(Path root) throws IOException, InterruptedException {
    Files.createDirectories(root);
    Files.writeString(root.resolve(TINY), "a tiny file\n");
    Vertx vertx = Vertx.vertx();
    Path served = root.toAbsolutePath().normalize();
    // curl sends "Expect: 100-continue" before a large PUT and waits a second for the answer.
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(true))
      .requestHandler(request -> handle(vertx, served, request));
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      vertx.close();
      throw new IOException("the reference HTTP server did not start", e.getCause());
    }
    return new HttpReference(vertx, server, served);
  }

  private static void handle(Vertx vertx, Path root, HttpServerRequest request) {
    Path file = root.resolve(request.path().substring(1)).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      request.response().setStatusCode(404).end();
    } else if (request.method() == HttpMethod.GET) {
      request.response().sendFile(file.toString()).onFailure(e -> fail(request, 404));
    } else if (request.method() == HttpMethod.PUT) {
      request.pause();
      vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .compose(request::pipeTo)
        .onSuccess(v -> request.response().setStatusCode(201).end())
        .onFailure(e -> fail(request, 500));
    } else {
      request.response().setStatusCode(405).end();
    }
  }

  private static void fail(HttpServerRequest request, int status) {
    if (request.response().headWritten()) {
      request.connection().close();
    } else {
      request.response().setStatusCode(status).end();
    }
  }

  @Override
  public String description() {
    return "curl + a plain HTTP server in the bench JVM (Vert.x: GET by sendfile, PUT streamed to a file)";
  }

  @Override
  public String url(String name) {
    return "http://127.0.0.1:" + server.actualPort() + "/" + name;
  }

  @Override
  public String smallFetchUrl() {
    return url(TINY);
  }

  @Override
  public String smallFetchDescription() {
    return "curl GET of a tiny file";
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(); // its server with it
    } catch (ExecutionException e) {
      throw new IOException("closing the reference HTTP server", e.getCause());
    }
  }
}
