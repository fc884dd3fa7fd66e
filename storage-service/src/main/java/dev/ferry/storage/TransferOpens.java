package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.RequestFields;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The open actions of {@link TransferApi} at the shared storage address: each opens a handle on
 * this node and names the node's own address for the rest of the transfer.
 */
final class TransferOpens {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private final Vertx vertx;
  private final TransferNode node;
  private final HomeJail jail;
  private final DigestStore digests;
  private final PartialUploads partials;
  private final UsageReporter usage;
  private final int maxPartialsPerAccount;
  private final EntryLedger entries;
  private final QuotaHold.Source holds;

  TransferOpens(Vertx vertx, TransferNode node, HomeJail jail, DigestStore digests, PartialUploads partials,
                UsageReporter usage, QuotaHold.Source holds, int maxPartialsPerAccount, EntryLedger entries) {
    this.holds = holds;
    this.maxPartialsPerAccount = maxPartialsPerAccount;
    this.entries = entries;
    this.vertx = vertx;
    this.node = node;
    this.jail = jail;
    this.digests = digests;
    this.partials = partials;
    this.usage = usage;
  }

  /** {path} -> {node, handle, size, sha256}: a download of the file as it is now. */
  Future<JsonObject> openRead(Principal who, JsonObject body) {
    String path = RequestFields.required(body, TransferApi.PATH);
    return open(who, () -> {
      try (JailedPath target = jail.confine(who, path)) {
        return new ReadHandle(who, FileSnapshot.open(target, digests));
      }
    }, opened -> Future.succeededFuture())
      .map(opened -> reply(opened.id()).put(TransferApi.SIZE, ((ReadHandle) opened.handle()).size())
        .put(TransferApi.SHA256, ((ReadHandle) opened.handle()).sha256()));
  }

  /**
   * {dir, name, size?, sha256, overwrite, resume?} -> {node, handle, offset, replacing}: a new or
   * resumed upload, its quota reserved before it answers (TransferApi, "Quota").
   */
  Future<JsonObject> openWrite(Principal who, JsonObject body) {
    String dir = RequestFields.required(body, TransferApi.DIR);
    String name = RequestFields.required(body, TransferApi.NAME);
    long size = body.getValue(TransferApi.SIZE) == null ? UploadTarget.UNKNOWN_SIZE : RequestFields.bytes(body, TransferApi.SIZE);
    String sha256 = RequestFields.orEmpty(body, TransferApi.SHA256);
    if (!sha256.isEmpty() && !SHA256_HEX.matcher(sha256).matches()) {
      throw Failure.BAD_REQUEST.exception("sha256 must be 64 hex digits or empty");
    }
    Object overwrite = body.getValue(TransferApi.OVERWRITE);
    if (overwrite != null && !(overwrite instanceof Boolean)) {
      throw Failure.BAD_REQUEST.exception("overwrite must be a boolean");
    }
    Object resume = body.getValue(TransferApi.RESUME);
    if (resume != null && !(resume instanceof Boolean)) {
      throw Failure.BAD_REQUEST.exception("resume must be a boolean");
    }
    UploadTarget.Request request = new UploadTarget.Request(dir, name, size, sha256.toLowerCase(Locale.ROOT),
      Boolean.TRUE.equals(overwrite), Boolean.TRUE.equals(resume));
    // Every upload that may make a new file reserves an entry; the open claims it if it does.
    return entries.withEntry(who, dir + "/" + name, entry -> open(who, () -> {
      UploadTarget target = UploadTarget.check(jail, who, request);
      return UploadHandle.open(target, partials, digests, usage, holds.of(target.virtualPath()), maxPartialsPerAccount, entry);
    }, opened -> reserve(who, (UploadHandle) opened)))
      .map(opened -> reply(opened.id()).put(TransferApi.OFFSET, ((UploadHandle) opened.handle()).offset())
        .put(TransferApi.REPLACING, ((UploadHandle) opened.handle()).target().replacing()));
  }

  private JsonObject reply(String handleId) {
    return new JsonObject().put(TransferApi.NODE, node.address()).put(TransferApi.HANDLE, handleId);
  }

  /**
   * The quota an upload may add from its offset on: all of it for a declared size (an overwrite
   * too: the file it replaces is credited only when the new one is published), nothing yet for
   * an unknown size, which still refuses an account already past its limit.
   */
  private static Future<Void> reserve(Principal who, UploadHandle upload) {
    UploadTarget target = upload.target();
    long bytes = target.sizeKnown() ? target.size() - upload.offset() : 0;
    return upload.hold().reserve(who.token(), bytes);
  }

  /**
   * A handle opened by blocking work in a slot of this node and a lease of {@code who}'s share of
   * the cluster's handles, both taken first, then made ready by {@code ready} before it joins the
   * table (closed again when that fails); BUSY when the node or that share is full.
   */
  private Future<TransferNode.Opened> open(Principal who, Callable<TransferHandle> opening,
                                           Function<TransferHandle, Future<Void>> ready) {
    if (!node.table().reserve()) {
      return Future.failedFuture(Failure.BUSY.exception("too many open handles on this node"));
    }
    return node.leases().take(who.account()).transform(taken -> {
      if (taken.failed()) {
        node.table().unreserve();
        return Future.failedFuture(taken.cause());
      }
      return vertx.executeBlocking(opening, false)
        .compose(opened -> ready.apply(opened).transform(done -> done.succeeded() ? Future.succeededFuture(opened)
          // The handle must not outlive a refusal: an upload keeps its partial for a later try.
          : opened.close(vertx).compose(v -> Future.failedFuture(done.cause()))))
        .transform(ar -> {
          if (ar.failed()) {
            node.table().unreserve();
            node.leases().release(taken.result());
            return Future.failedFuture(ar.cause());
          }
          return node.add(ar.result(), taken.result());
        });
    });
  }
}
