package dev.ferry.auth;

import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Tells every auth-service replica of the cluster that an account changed through this one, at
 * {@link Addresses#ACCOUNT_CHANGES}, so each drops what it holds of the account in memory: its
 * credential cache entry, and the failed-login counts an unlock or a new account starts afresh.
 * The change itself is already stored when it is announced; what a replica remembers only saves
 * it work, so a lost announcement costs at most a cache lifetime of a stale entry, never a wrong
 * answer on the account's stored state.
 *
 * <p>A replica ignores its own announcements: it applied the change before it announced it.
 */
final class AccountChanges {

  /** What happened to the account. */
  enum Change {
    ADDED, DELETED, PASSWORD, LOCKED, UNLOCKED;

    /** Whether the change starts the account's failed-login counts afresh everywhere. */
    boolean clearsFailures() {
      return this != PASSWORD && this != LOCKED;
    }

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Change> parse(String wire) {
      for (Change change : values()) {
        if (change.wire().equals(wire)) {
          return Optional.of(change);
        }
      }
      return Optional.empty();
    }
  }

  /** What a replica does when another one changed an account. */
  interface Listener {
    void changed(String account, Change change);
  }

  static final String ACCOUNT = "account";
  static final String CHANGE = "change";
  static final String REPLICA = "replica";
  private static final System.Logger LOG = System.getLogger(AccountChanges.class.getName());

  private final Vertx vertx;
  /** This replica's id in announcements, made at random at each start. */
  private final String replica = UUID.randomUUID().toString();
  private MessageConsumer<JsonObject> consumer;

  private AccountChanges(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Listens for the other replicas' announcements; completes once the cluster knows the listener. */
  static Future<AccountChanges> start(Vertx vertx, Listener listener) {
    AccountChanges changes = new AccountChanges(vertx);
    changes.consumer = vertx.eventBus().consumer(Addresses.ACCOUNT_CHANGES, message -> {
      JsonObject body = message.body();
      if (body == null || changes.replica.equals(body.getValue(REPLICA))) {
        return;
      }
      Object account = body.getValue(ACCOUNT);
      Optional<Change> change = body.getValue(CHANGE) instanceof String wire ? Change.parse(wire) : Optional.empty();
      if (!(account instanceof String name) || !AccountName.isValid(name) || change.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "ignoring a malformed account change announcement");
        return;
      }
      listener.changed(name, change.get());
    });
    return changes.consumer.completion().map(changes);
  }

  /** Tells the other replicas; call once the change is stored. */
  void announce(String account, Change change) {
    vertx.eventBus().publish(Addresses.ACCOUNT_CHANGES, new JsonObject()
      .put(ACCOUNT, account).put(CHANGE, change.wire()).put(REPLICA, replica));
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
