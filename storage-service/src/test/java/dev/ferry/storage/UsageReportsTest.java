package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static dev.ferry.storage.TransferFixture.failureOf;
import static dev.ferry.storage.TransferFixture.openWrite;
import static dev.ferry.storage.TransferFixture.randomBytes;
import static dev.ferry.storage.TransferFixture.sha256;
import static dev.ferry.storage.TransferFixture.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What storage reports to quota-service (StorageApi and TransferApi, "Usage"): after every change
 * on disk, the deltas reported for an account add up to what a fresh recount (USAGE) finds.
 * A {@link QuotaRecorder} stands at the quota address and observes the reports.
 */
class UsageReportsTest extends DeployedStorage {

  private static final int CHUNK = 4096;
  private static final byte[] C = randomBytes(20_000, 11);
  private static final byte[] D = randomBytes(15_000, 12);

  private QuotaRecorder recorder;
  private long aliceBase;
  private long bobBase;

  private Future<Long> usage(String account) {
    return storage.request(StorageApi.USAGE, admin, account(account)).map(reply -> reply.getLong(StorageApi.BYTES));
  }

  /** Starts observing: the recounts before anything changes are the base the reported deltas add to. */
  private Future<Void> observe(Vertx vertx) {
    recorder = quota;
    return Future.all(usage("alice"), usage("bob"))
      .map(base -> {
        aliceBase = base.<Long>resultAt(0);
        bobBase = base.<Long>resultAt(1);
        return null;
      });
  }

  /** A fresh recount of alice and bob equals their base plus every delta storage reported so far. */
  private Future<Void> recountMatches(String after, VertxTestContext ctx) {
    return Future.all(usage("alice"), usage("bob")).map(now -> {
      ctx.verify(() -> {
        assertThat(now.<Long>resultAt(0)).as("alice after " + after).isEqualTo(aliceBase + recorder.sum("alice"));
        assertThat(now.<Long>resultAt(1)).as("bob after " + after).isEqualTo(bobBase + recorder.sum("bob"));
        assertThat(recorder.problems()).as("reports after " + after).isEmpty();
      });
      return null;
    });
  }

  private Future<TransferRequests> open(Vertx vertx, String token, String name, byte[] content, boolean overwrite,
                                        long expectedOffset, VertxTestContext ctx) {
    return storage.request(TransferApi.OPEN_WRITE, token, openWrite("/home/alice", name, content, overwrite)).map(opened -> {
      ctx.verify(() -> assertThat(opened.getLong(TransferApi.OFFSET)).as("offset of " + name).isEqualTo(expectedOffset));
      return new TransferRequests(vertx, opened);
    });
  }

  /** A whole upload into alice's home. */
  private Future<String> upload(Vertx vertx, String name, byte[] content, boolean overwrite, VertxTestContext ctx) {
    return open(vertx, alice, name, content, overwrite, 0, ctx)
      .compose(node -> writeAll(node, alice, content, 0, content.length, CHUNK).compose(stored -> node.finish(alice)));
  }

  /** The first {@code bytes} of an upload, then its handle closed: the partial stays. */
  private Future<Void> uploadPart(Vertx vertx, String token, String name, byte[] content, int bytes, VertxTestContext ctx) {
    return open(vertx, token, name, content, false, 0, ctx)
      .compose(node -> writeAll(node, token, content, 0, bytes, CHUNK).compose(stored -> node.close(token)))
      .mapEmpty();
  }

  /** Resumes the upload of {@code declared} at {@code offset}, sending the rest of {@code sent}, and finishes it. */
  private Future<String> resume(Vertx vertx, String name, byte[] declared, byte[] sent, int offset, VertxTestContext ctx) {
    return open(vertx, alice, name, declared, false, offset, ctx)
      .compose(node -> writeAll(node, alice, sent, offset, sent.length, CHUNK).compose(stored -> node.finish(alice)));
  }

  /** Makes the partial upload of {@code target} look created long ago, so the next sweep expires it. */
  private Future<Void> backdate(Vertx vertx, String target) {
    PartialUploads partials = new PartialUploads(data.resolve(StorageOptions.PARTIAL_DIR));
    String key = PartialUploads.keyOf(target);
    return vertx.executeBlocking(() -> {
      PartialUploads.Meta meta = partials.readMeta(key).orElseThrow();
      partials.writeMeta(key, new PartialUploads.Meta(meta.owner(), meta.target(), meta.size(), meta.sha256(), 0));
      return null;
    }, false);
  }

  @Test
  void theReportedChangesAddUpToAFreshRecountAfterEveryChange(Vertx vertx, VertxTestContext ctx) {
    byte[] corrupted = D.clone();
    corrupted[D.length - 1] ^= 1;
    int[] adjustsBefore = {0};
    observe(vertx)
      .compose(v -> upload(vertx, "a.bin", randomBytes(10_000, 1), false, ctx))
      .compose(v -> recountMatches("a new upload", ctx))
      .compose(v -> {
        ctx.verify(() -> assertThat(recorder.sum("alice")).isEqualTo(10_000));
        return upload(vertx, "a.bin", randomBytes(4_000, 2), true, ctx);
      })
      .compose(v -> recountMatches("an overwrite with a smaller file", ctx))
      .compose(v -> upload(vertx, "a.bin", randomBytes(25_000, 3), true, ctx))
      .compose(v -> recountMatches("an overwrite with a larger file", ctx))
      .compose(v -> uploadPart(vertx, alice, "c.bin", C, 7_000, ctx))
      .compose(v -> recountMatches("an upload closed midway", ctx))
      .compose(v -> resume(vertx, "c.bin", C, C, 7_000, ctx))
      .compose(v -> recountMatches("a resumed upload finished", ctx))
      .compose(v -> uploadPart(vertx, alice, "d.bin", D, 5_000, ctx))
      .compose(v -> failureOf(resume(vertx, "d.bin", D, corrupted, 5_000, ctx)))
      .compose(failure -> {
        ctx.verify(() -> assertThat(failure).isEqualTo(Failure.CHECKSUM_MISMATCH));
        return recountMatches("a checksum mismatch dropped the partial", ctx);
      })
      .compose(v -> storage.request(StorageApi.RM, alice, path("/home/alice/a.bin")))
      .compose(v -> recountMatches("rm", ctx))
      .compose(v -> {
        adjustsBefore[0] = recorder.adjusts();
        return storage.request(StorageApi.RENAME, alice, move("/home/alice/c.bin", "/home/alice/sub/c.bin"));
      })
      .compose(v -> recountMatches("a rename within the home", ctx))
      .compose(v -> {
        ctx.verify(() -> assertThat(recorder.adjusts()).as("nothing to report").isEqualTo(adjustsBefore[0]));
        return storage.request(StorageApi.RENAME, admin, move("/home/alice/sub/c.bin", "/home/bob/c.bin"));
      })
      .compose(v -> recountMatches("the admin moved a file from alice to bob", ctx))
      .compose(v -> {
        ctx.verify(() -> assertThat(recorder.sum("bob")).isEqualTo(C.length));
        // The admin uploads into alice's home: the partial is alice's usage, not the admin's.
        return uploadPart(vertx, admin, "f.bin", D, 6_000, ctx);
      })
      .compose(v -> recountMatches("the admin left a partial in alice's home", ctx))
      .compose(v -> {
        ctx.verify(() -> assertThat(recorder.sum("root")).isZero());
        // Only the admin may resume it: alice's upload of the same target starts afresh, truncating it.
        return open(vertx, alice, "f.bin", D, false, 0, ctx).compose(node -> node.close(alice));
      })
      .compose(v -> recountMatches("alice restarted the admin's partial", ctx))
      .compose(v -> uploadPart(vertx, alice, "e.bin", C, 3_000, ctx))
      .compose(v -> backdate(vertx, "/home/alice/e.bin"))
      .compose(v -> open(vertx, alice, "g.bin", C, false, 0, ctx))
      .compose(node -> writeAll(node, alice, C, 0, 2_000, CHUNK))
      // The node stops with g.bin's handle open (closed, partial kept), and expires e.bin's partial as it starts again.
      .compose(v -> restartStorage(vertx))
      .compose(v -> recountMatches("a node stop and a partial expiry", ctx))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        PartialUploads partials = new PartialUploads(data.resolve(StorageOptions.PARTIAL_DIR));
        assertThat(partials.part(PartialUploads.keyOf("/home/alice/e.bin"))).doesNotExist();
        assertThat(Files.size(partials.part(PartialUploads.keyOf("/home/alice/g.bin")))).isEqualTo(2_000);
        ctx.completeNow();
      })));
  }

  /**
   * TransferApi, "Quota": storage reserves {@code size - offset} at the open, a resume too, and
   * refuses the open when that does not fit, leaving no handle and no partial behind.
   */
  @Test
  void theOpenReservesWhatTheUploadMayAddAndIsRefusedWhenItDoesNotFit(Vertx vertx, VertxTestContext ctx) {
    byte[] content = randomBytes(10_000, 7);
    observe(vertx)
      .compose(v -> uploadPart(vertx, alice, "q.bin", content, 4_000, ctx))
      .compose(v -> {
        // The partial counts 4,000 bytes now; the rest of the upload needs 6,000 more.
        quota.limit("alice", 4_000 + 5_999);
        return failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "q.bin", content, false)));
      })
      .compose(refused -> {
        ctx.verify(() -> {
          assertThat(refused).isEqualTo(Failure.QUOTA_EXCEEDED);
          assertThat(quota.reserved("alice")).isZero();
        });
        quota.limit("alice", 4_000 + 6_000);
        return resume(vertx, "q.bin", content, content, 4_000, ctx);
      })
      .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
        assertThat(sha).isEqualTo(sha256(content));
        assertThat(quota.sum("alice")).isEqualTo(content.length);
        assertThat(quota.reserved("alice")).as("released once the upload is published").isZero();
        assertThat(quota.problems()).isEmpty();
        ctx.completeNow();
      })));
  }

  /**
   * An overwrite reserves its whole size: the file it replaces is credited only when the new one
   * is published, so its bytes are no allowance while the upload runs.
   */
  @Test
  void anOverwriteReservesItsWholeSize(Vertx vertx, VertxTestContext ctx) {
    int replacing = StorageFixture.NOTES.length();
    byte[] content = randomBytes(replacing + 100, 8);
    quota.limit("alice", content.length - 1);
    observe(vertx)
      .compose(v -> failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "notes.txt", content, true))))
      .compose(refused -> {
        ctx.verify(() -> assertThat(refused).isEqualTo(Failure.QUOTA_EXCEEDED));
        quota.limit("alice", content.length);
        return upload(vertx, "notes.txt", content, true, ctx);
      })
      .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
        assertThat(Files.readAllBytes(files.resolve("home/alice/notes.txt"))).isEqualTo(content);
        assertThat(recorder.sum("alice")).as("credited on publish: the new size less the replaced").isEqualTo(100);
        assertThat(quota.reserved("alice")).isZero();
        ctx.completeNow();
      })));
  }
}
