package dev.ferry.auth.db;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where accounts, limits and lockouts are kept: {@code accountStore} is {@code file} (the
 * default: {@code users.json} and {@code quota.json} in the data directory, nothing to install)
 * or {@code postgres}, for a cluster whose auth and quota replicas share one PostgreSQL database
 * at {@code databaseUrl} ({@code postgresql://USER@HOST:PORT/DB}). The password comes from
 * {@code databasePassword} (the environment variable {@code FERRY_DATABASE_PASSWORD}) or from the
 * file {@code databasePasswordFile}, never from the URL. {@code databaseSslMode} says how the
 * connection is encrypted, with libpq's names and default: {@code disable}, {@code prefer} (TLS
 * when the server offers it, unverified), {@code require} (TLS or nothing, unverified),
 * {@code verify-ca} (the server's certificate signed by the CAs of {@code databaseCaPath}) and
 * {@code verify-full} (and issued for the URL's host).
 */
public final class DatabaseOptions {

  public static final String ACCOUNT_STORE = "accountStore";
  public static final String DATABASE_URL = "databaseUrl";
  public static final String DATABASE_PASSWORD = "databasePassword";
  public static final String DATABASE_PASSWORD_FILE = "databasePasswordFile";
  public static final String DATABASE_SSL_MODE = "databaseSslMode";
  public static final String DATABASE_CA_PATH = "databaseCaPath";
  public static final String FILE = "file";
  public static final String POSTGRES = "postgres";
  public static final int DEFAULT_PORT = 5432;
  private static final String URL_FORM = "postgresql://USER@HOST:PORT/DB";

  private final boolean postgres;
  private final String url;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Path passwordFile;
  private final SslMode sslMode;
  private final Path caPath;

  /** libpq's {@code sslmode} values Ferry takes, weakest first. */
  public enum SslMode {
    DISABLE("disable"), PREFER("prefer"), REQUIRE("require"), VERIFY_CA("verify-ca"), VERIFY_FULL("verify-full");

    private final String setting;

    SslMode(String setting) {
      this.setting = setting;
    }

    /** The value as the setting spells it. */
    public String setting() {
      return setting;
    }

    /** Whether the server's certificate is checked against {@code databaseCaPath}. */
    public boolean verifies() {
      return this == VERIFY_CA || this == VERIFY_FULL;
    }

    static SslMode of(String value) {
      for (SslMode mode : values()) {
        if (mode.setting.equals(value)) {
          return mode;
        }
      }
      throw new IllegalArgumentException(DATABASE_SSL_MODE + " must be disable, prefer, require, verify-ca or verify-full, got \""
        + value + "\"");
    }
  }

  /** Reads the keys; throws {@link IllegalArgumentException} with a clear message on a bad value. */
  public DatabaseOptions(JsonObject config) {
    String store = config.getString(ACCOUNT_STORE, FILE).trim().toLowerCase(Locale.ROOT);
    if (!store.equals(FILE) && !store.equals(POSTGRES)) {
      throw new IllegalArgumentException(ACCOUNT_STORE + " must be " + FILE + " or " + POSTGRES + ", got \"" + store + "\"");
    }
    this.postgres = store.equals(POSTGRES);
    String text = blankToNull(config.getString(DATABASE_URL));
    String file = blankToNull(config.getString(DATABASE_PASSWORD_FILE));
    this.password = config.getString(DATABASE_PASSWORD);
    this.passwordFile = file == null ? null : Path.of(file);
    String mode = blankToNull(config.getString(DATABASE_SSL_MODE));
    this.sslMode = SslMode.of(mode == null ? SslMode.PREFER.setting() : mode.toLowerCase(Locale.ROOT));
    String ca = blankToNull(config.getString(DATABASE_CA_PATH));
    this.caPath = ca == null ? null : Path.of(ca);
    if (!postgres) {
      this.url = text;
      this.host = null;
      this.port = 0;
      this.database = null;
      this.user = null;
      return;
    }
    if (text == null) {
      throw new IllegalArgumentException(ACCOUNT_STORE + "=" + POSTGRES + " needs " + DATABASE_URL + " (FERRY_DATABASE_URL), "
        + URL_FORM);
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw badUrl(text, "not a URL");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw badUrl(text, "it must start with postgresql://");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      // The URL shows in logs and process listings; a password there would too.
      throw new IllegalArgumentException(DATABASE_URL + " must not hold a password: set FERRY_DATABASE_PASSWORD or "
        + DATABASE_PASSWORD_FILE + " instead");
    }
    if (userInfo == null || userInfo.isEmpty()) {
      throw badUrl(text, "no USER@");
    }
    if (uri.getHost() == null) {
      throw badUrl(text, "no HOST");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw badUrl(text, "no /DB");
    }
    if (uri.getQuery() != null && uri.getQuery().contains("sslmode")) {
      throw badUrl(text, "set " + DATABASE_SSL_MODE + " (FERRY_DATABASE_SSL_MODE) instead of ?sslmode");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw badUrl(text, "no ?parameters or #fragment are read");
    }
    if (sslMode.verifies() && caPath == null) {
      throw new IllegalArgumentException(DATABASE_SSL_MODE + "=" + sslMode.setting() + " needs " + DATABASE_CA_PATH
        + " (FERRY_DATABASE_CA_PATH): a PEM file of the CA certificates that sign the database's certificate");
    }
    this.url = text;
    this.user = uri.getUserInfo();
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    this.database = path.substring(1);
    if (password != null && passwordFile != null) {
      throw new IllegalArgumentException("set FERRY_DATABASE_PASSWORD or " + DATABASE_PASSWORD_FILE + ", not both");
    }
    if (password == null && passwordFile == null) {
      throw new IllegalArgumentException(ACCOUNT_STORE + "=" + POSTGRES + " needs the database password: set "
        + "FERRY_DATABASE_PASSWORD or " + DATABASE_PASSWORD_FILE + " (a file holding it)");
    }
  }

  private static IllegalArgumentException badUrl(String text, String why) {
    return new IllegalArgumentException(DATABASE_URL + " \"" + text + "\" is not of the form " + URL_FORM + ": " + why);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Whether the accounts live in PostgreSQL rather than in the data directory's files. */
  public boolean postgres() {
    return postgres;
  }

  /** {@code databaseUrl} as given: it holds no password, so it may be logged. */
  public String url() {
    return url;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  /** The password given directly, or null when it is in {@link #passwordFile()}. */
  String password() {
    return password;
  }

  /** The file holding the password, or null. */
  public Path passwordFile() {
    return passwordFile;
  }

  public SslMode sslMode() {
    return sslMode;
  }

  /** The PEM file of CA certificates a verifying {@link #sslMode()} trusts, or null. */
  public Path caPath() {
    return caPath;
  }
}
