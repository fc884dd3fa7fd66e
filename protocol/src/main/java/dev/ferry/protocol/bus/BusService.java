package dev.ferry.protocol.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * The service side of a Ferry event-bus address: routes each request by its
 * {@link #ACTION_HEADER} to one handler, verifies the session token first (except for the
 * few public actions such as login, and the service actions whose token a check of their own
 * verifies), and replies with the handler's result or its typed
 * {@link Failure}. Internal errors are logged here and reach the caller only as
 * {@link Failure#INTERNAL}.
 */
public final class BusService {

  public static final String ACTION_HEADER = "action";
  public static final String TOKEN_HEADER = "token";

  /** A request on behalf of a verified principal. */
  @FunctionalInterface
  public interface Action {
    Future<JsonObject> handle(Principal caller, JsonObject body);
  }

  /** A request that needs no session (login). */
  @FunctionalInterface
  public interface PublicAction {
    Future<JsonObject> handle(JsonObject body);
  }

  /** Checks the token of a service action; fails with a typed {@link Failure} to refuse it. */
  @FunctionalInterface
  public interface TokenCheck {
    Future<Void> verify(String token);
  }

  private record ServiceAction(TokenCheck check, PublicAction handler) {
  }

  private static final System.Logger LOG = System.getLogger(BusService.class.getName());

  private final Vertx vertx;
  private final String address;
  private final SessionTokens tokens;
  private final Map<String, Action> actions = new HashMap<>();
  private final Map<String, PublicAction> publicActions = new HashMap<>();
  private final Map<String, ServiceAction> serviceActions = new HashMap<>();

  public BusService(Vertx vertx, String address, SessionTokens tokens) {
    this.vertx = vertx;
    this.address = address;
    this.tokens = tokens;
  }

  public BusService on(String action, Action handler) {
    actions.put(action, handler);
    return this;
  }

  public BusService onPublic(String action, PublicAction handler) {
    publicActions.put(action, handler);
    return this;
  }

  /**
   * A request only another service may make: its token is not a session token but one that
   * {@code check} verifies (quota's ADJUST takes storage-service's own tokens only). When the
   * same action is also registered with {@link #on}, a token {@code check} refuses is verified
   * as a session token for that handler instead.
   */
  public BusService onService(String action, TokenCheck check, PublicAction handler) {
    serviceActions.put(action, new ServiceAction(check, handler));
    return this;
  }

  /** Starts consuming; the future completes once the registration has propagated. */
  public Future<MessageConsumer<JsonObject>> register() {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, this::dispatch);
    return consumer.completion().map(consumer);
  }

  private void dispatch(Message<JsonObject> message) {
    String action = message.headers().get(ACTION_HEADER);
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    Future<JsonObject> result;
    try {
      PublicAction open = publicActions.get(action);
      Action guarded = actions.get(action);
      ServiceAction service = serviceActions.get(action);
      if (open != null) {
        result = open.handle(body);
      } else if (service != null) {
        String token = message.headers().get(TOKEN_HEADER);
        result = service.check().verify(token).transform(checked -> {
          if (checked.succeeded()) {
            return service.handler().handle(body);
          }
          return guarded == null ? Future.failedFuture(checked.cause()) : tokens.verify(token).compose(p -> guarded.handle(p, body));
        });
      } else if (guarded != null) {
        result = tokens.verify(message.headers().get(TOKEN_HEADER)).compose(p -> guarded.handle(p, body));
      } else {
        result = Future.failedFuture(Failure.BAD_REQUEST.exception("unknown action " + action));
      }
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result() == null ? new JsonObject() : ar.result());
      } else if (ar.cause() instanceof ReplyException re) {
        message.fail(re.failureCode(), re.getMessage());
      } else {
        LOG.log(System.Logger.Level.ERROR, address + " " + action + " failed", ar.cause());
        message.fail(Failure.INTERNAL.code(), Failure.INTERNAL.name());
      }
    });
  }
}
