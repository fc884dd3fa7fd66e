package dev.ferry.auth.db;

import dev.ferry.auth.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * databaseSslMode against a real PostgreSQL that, as managed ones often do, takes TCP clients
 * only over TLS, with a certificate for {@code localhost} signed by a test CA.
 */
class DatabaseTlsTest {

  private static Vertx vertx;
  private static TestPostgres server;
  /** The test database by address, {@code 127.0.0.1}, which the certificate does not name. */
  private static String byAddress;
  /** The same database by the name the certificate holds. */
  private static String byName;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = TestPostgres.startTlsOnly();
    byAddress = server.newDatabase();
    byName = byAddress.replace("@127.0.0.1:", "@localhost:");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      vertx.close().await(60, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
  }

  private static DatabaseOptions options(String url, String mode, Path ca) {
    JsonObject config = new JsonObject().put("accountStore", "postgres").put("databaseUrl", url)
      .put("databasePassword", TestPostgres.PASSWORD).put(DatabaseOptions.DATABASE_SSL_MODE, mode);
    if (ca != null) {
      config.put(DatabaseOptions.DATABASE_CA_PATH, ca.toString());
    }
    return new DatabaseOptions(config);
  }

  /** Opens (and migrates) the database, and answers whether the connections are encrypted. */
  private static boolean opensEncrypted(DatabaseOptions options) throws Exception {
    AccountDatabase db = AccountDatabase.open(vertx, options).await(60, TimeUnit.SECONDS);
    try {
      return db.encrypted().await(60, TimeUnit.SECONDS);
    } finally {
      db.close().await(60, TimeUnit.SECONDS);
    }
  }

  private static String refusal(DatabaseOptions options) {
    return assertThrows(IllegalStateException.class, () -> AccountDatabase.open(vertx, options).await(60, TimeUnit.SECONDS))
      .getMessage();
  }

  @Test
  void preferTheDefaultAndRequireEncryptWithoutAskingWhom() throws Exception {
    DatabaseOptions byDefault = new DatabaseOptions(new JsonObject().put("accountStore", "postgres").put("databaseUrl", byAddress)
      .put("databasePassword", TestPostgres.PASSWORD));
    assertThat(byDefault.sslMode()).isEqualTo(DatabaseOptions.SslMode.PREFER);
    assertThat(opensEncrypted(byDefault)).isTrue();
    assertThat(opensEncrypted(options(byAddress, "require", null))).isTrue();
  }

  @Test
  void verifyFullTrustsOnlyTheGivenCaAndOnlyForTheNamedHost() throws Exception {
    assertThat(opensEncrypted(options(byName, "verify-full", server.caCertificate()))).isTrue();
    assertThat(refusal(options(byAddress, "verify-full", server.caCertificate())))
      .startsWith("cannot use the account database " + byAddress);
    assertThat(refusal(options(byName, "verify-full", server.otherCaCertificate())))
      .startsWith("cannot use the account database " + byName);
    // verify-ca checks the signature, not the name.
    assertThat(opensEncrypted(options(byAddress, "verify-ca", server.caCertificate()))).isTrue();
    assertThat(refusal(options(byAddress, "verify-ca", server.otherCaCertificate())))
      .startsWith("cannot use the account database " + byAddress);
  }

  @Test
  void disableMeetsTheServersRefusal() {
    assertThat(refusal(options(byAddress, "disable", null)))
      .startsWith("cannot use the account database " + byAddress)
      .contains("no encryption");
  }

  @Test
  void settingsAreCheckedAtStart() {
    assertThatThrownBy(() -> options(byAddress, "allow", null))
      .hasMessage("databaseSslMode must be disable, prefer, require, verify-ca or verify-full, got \"allow\"");
    assertThatThrownBy(() -> options(byAddress, "verify-full", null))
      .hasMessageContaining("databaseSslMode=verify-full needs databaseCaPath (FERRY_DATABASE_CA_PATH)");
    assertThatThrownBy(() -> options(byAddress + "?sslmode=require", "prefer", null))
      .hasMessageContaining("set databaseSslMode (FERRY_DATABASE_SSL_MODE) instead of ?sslmode");
  }
}
