package dev.ferry.quota;

import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry-server --import-accounts}, the limits part: the per-account limits of a single
 * server's {@code quota.json} into the account database. A limit the database has already is left
 * as it is, so running the import again changes nothing; a missing file is no limits set.
 */
public final class LimitsImport {

  /** What an import did. */
  public record Result(int added, int alreadyThere) {
  }

  private LimitsImport() {
  }

  public static Future<Result> importLimits(Vertx vertx, AccountDatabase database, Path quotaFile) {
    return vertx.executeBlocking(() -> QuotaLimits.load(quotaFile, QuotaLimits.UNLIMITED), false)
      .compose(limits -> {
        List<Future<Boolean>> added = new ArrayList<>();
        Future<Void> done = Future.succeededFuture();
        for (Map.Entry<String, Long> e : limits.explicitLimits().entrySet()) {
          done = done.compose(v -> {
            Future<Boolean> one = database.pool()
              .preparedQuery("INSERT INTO quota_limits (account, limit_bytes) VALUES ($1, $2) ON CONFLICT (account) DO NOTHING")
              .execute(Tuple.of(e.getKey(), e.getValue()))
              .map(rows -> rows.rowCount() == 1);
            added.add(one);
            return one.mapEmpty();
          });
        }
        return done.map(v -> {
          int count = (int) added.stream().filter(Future::result).count();
          return new Result(count, added.size() - count);
        });
      });
  }
}
