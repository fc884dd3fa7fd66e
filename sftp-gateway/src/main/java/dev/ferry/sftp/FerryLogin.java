package dev.ferry.sftp;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;

/**
 * SSH authentication by the auth service, as the Ferry gateway's login: the same accounts,
 * password checks and lockout (per account and client address, so the client's address goes
 * with every attempt). A password login is answered asynchronously, so SSHD's I/O threads do
 * not wait for the password hash. A public key is let in when the auth service holds it for
 * the account; SSHD checks the client's signature with it before the session counts as
 * authenticated, and only then is the token used.
 */
final class FerryLogin implements PasswordAuthenticator, PublickeyAuthenticator {

  private static final System.Logger LOG = System.getLogger(FerryLogin.class.getName());
  private static final String SUCCESS = "1";

  private final BusClient auth;
  private final SftpMetrics metrics;

  FerryLogin(Vertx vertx, SftpMetrics metrics) {
    this.auth = new BusClient(vertx, Addresses.AUTH, SftpOptions.SERVICE_TIMEOUT.toMillis());
    this.metrics = metrics;
  }

  @Override
  public boolean authenticate(String username, String password, ServerSession session) throws AsyncAuthException {
    String address = address(session.getClientAddress());
    JsonObject request = new JsonObject().put(AuthApi.ACCOUNT, username).put(AuthApi.PASSWORD, password)
      .put(AuthApi.CLIENT_ADDRESS, address);
    AsyncAuthException answer = new AsyncAuthException();
    settle(auth.request(AuthApi.LOGIN, null, request), session, address, "password")
      .onComplete(ar -> answer.setAuthed(ar.succeeded() && ar.result()));
    throw answer;
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    String address = address(session.getClientAddress());
    JsonObject request = new JsonObject().put(AuthApi.ACCOUNT, username).put(AuthApi.PUBLIC_KEY, PublicKeyEntry.toString(key))
      .put(AuthApi.CLIENT_ADDRESS, address);
    try {
      return ServiceCalls.await(settle(auth.request(AuthApi.KEY_LOGIN, null, request), session, address, "publickey"), username);
    } catch (java.io.IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "public key login of " + username + " failed: " + e);
      return false;
    }
  }

  /** Keeps the logged-in account on the session when auth let it in; true then. */
  private Future<Boolean> settle(Future<JsonObject> login, ServerSession session, String address, String method) {
    return login.map(reply -> {
      Role role = Role.parse(reply.getString(AuthApi.ROLE)).orElse(null);
      String token = reply.getString(AuthApi.TOKEN);
      boolean ok = SUCCESS.equals(reply.getString(AuthApi.CODE)) && role != null && token != null;
      if (ok) {
        session.setAttribute(SftpUser.KEY, new SftpUser(reply.getString(AuthApi.ACCOUNT), role, address, new SessionToken(token)));
      }
      metrics.login(method, ok ? SftpMetrics.LoginResult.OK : SftpMetrics.LoginResult.REFUSED);
      return ok;
    }).recover(error -> {
      // Rate limited, hashing queue full, auth unreachable: refused like a wrong password.
      LOG.log(System.Logger.Level.DEBUG, () -> method + " login from " + address + " not tried: " + error.getMessage());
      metrics.login(method, SftpMetrics.LoginResult.REFUSED);
      return Future.succeededFuture(false);
    });
  }

  static String address(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : "";
  }
}
