package dev.ferry.auth.db;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseOptionsTest {

  private static JsonObject postgres(String url) {
    return new JsonObject().put("accountStore", "postgres").put("databaseUrl", url).put("databasePassword", "secret-1");
  }

  @Test
  void theFileStoreIsTheDefaultAndNeedsNothing() {
    assertThat(new DatabaseOptions(new JsonObject()).postgres()).isFalse();
  }

  @Test
  void readsTheUrl() {
    DatabaseOptions options = new DatabaseOptions(postgres("postgresql://ferry@db.example:6432/accounts"));
    assertThat(options.postgres()).isTrue();
    assertThat(options.user()).isEqualTo("ferry");
    assertThat(options.host()).isEqualTo("db.example");
    assertThat(options.port()).isEqualTo(6432);
    assertThat(options.database()).isEqualTo("accounts");
    assertThat(new DatabaseOptions(postgres("postgresql://ferry@db/accounts")).port()).isEqualTo(5432);
  }

  @Test
  void refusesBadSettingsClearly() {
    assertThatThrownBy(() -> new DatabaseOptions(new JsonObject().put("accountStore", "mysql")))
      .hasMessage("accountStore must be file or postgres, got \"mysql\"");
    assertThatThrownBy(() -> new DatabaseOptions(new JsonObject().put("accountStore", "postgres")))
      .hasMessageContaining("needs databaseUrl (FERRY_DATABASE_URL)");
    assertThatThrownBy(() -> new DatabaseOptions(postgres("mysql://ferry@db/x"))).hasMessageContaining("must start with postgresql://");
    assertThatThrownBy(() -> new DatabaseOptions(postgres("postgresql://db:5432/x"))).hasMessageContaining("no USER@");
    assertThatThrownBy(() -> new DatabaseOptions(postgres("postgresql://ferry@db:5432/"))).hasMessageContaining("no /DB");
    assertThatThrownBy(() -> new DatabaseOptions(postgres("postgresql://ferry:hunter2@db/x")))
      .hasMessageContaining("must not hold a password")
      .message().doesNotContain("hunter2");
    assertThatThrownBy(() -> new DatabaseOptions(new JsonObject().put("accountStore", "postgres")
      .put("databaseUrl", "postgresql://ferry@db/x")))
      .hasMessageContaining("needs the database password: set FERRY_DATABASE_PASSWORD or databasePasswordFile");
    assertThatThrownBy(() -> new DatabaseOptions(postgres("postgresql://ferry@db/x").put("databasePasswordFile", "/p")))
      .hasMessageContaining("not both");
  }
}
