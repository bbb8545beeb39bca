package goose.session;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a PostgreSQL database is, read from {@code GOOSE_DATABASE_URL}: either the libpq form
 * {@code postgresql://user:pass@host:port/db?sslmode=require} (user and password percent-encoded)
 * or a JDBC URL {@code jdbc:postgresql://host/db?user=...}. {@link #toString()} and every error
 * message leave the password out.
 */
record PostgresUrl(
    String jdbcUrl, Optional<String> user, Optional<String> password, String display) {

  static final String KEY = "GOOSE_DATABASE_URL";
  private static final String JDBC_PREFIX = "jdbc:postgresql:";

  /**
   * Throws {@link IllegalArgumentException} with a one-line reason that never contains the
   * password.
   */
  static PostgresUrl parse(String url) {
    String text = url.strip();
    if (text.startsWith(JDBC_PREFIX)) return parseJdbc(text);
    int colon = text.indexOf("://");
    String scheme = colon < 0 ? "" : text.substring(0, colon);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw new IllegalArgumentException(
          "must look like postgresql://user:password@host:5432/database or"
              + " jdbc:postgresql://host:5432/database"
              + (scheme.isEmpty() || scheme.length() > 20 ? "" : ", not " + scheme + "://..."));
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "is not a valid URL (percent-encode special characters of the user name and password)");
    }
    if (uri.getHost() == null)
      throw new IllegalArgumentException(
          "names no host (postgresql://user:password@host:5432/database)"
              + (specialInCredentials(text.substring(colon + 3))
                  ? "; a user name or password with @ / ? or # in it must be percent-encoded"
                      + " (%40 %2F %3F %23)"
                  : ""));
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path, "database name");
    if (database.isEmpty())
      throw new IllegalArgumentException(
          "names no database (postgresql://user:password@host:5432/database)");
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int split = info.indexOf(':');
      user =
          Optional.of(decode(split < 0 ? info : info.substring(0, split), "user name"))
              .filter(u -> !u.isEmpty());
      if (split >= 0) password = Optional.of(decode(info.substring(split + 1), "password"));
    }
    String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    String address = hostPort + "/" + path.substring(1);
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String display = "postgresql://" + user.map(u -> u + "@").orElse("") + address;
    return new PostgresUrl("jdbc:postgresql://" + address + query, user, password, display);
  }

  /** Whether what comes before the last {@code @} holds a character that ends the credentials. */
  private static boolean specialInCredentials(String afterScheme) {
    int at = afterScheme.lastIndexOf('@');
    return at > 0 && afterScheme.substring(0, at).chars().anyMatch(c -> "@/?#".indexOf(c) >= 0);
  }

  /**
   * A JDBC URL as is, except that user and password move out of its query (so it can be shown and
   * logged).
   */
  private static PostgresUrl parseJdbc(String text) {
    int q = text.indexOf('?');
    String base = q < 0 ? text : text.substring(0, q);
    if (base.length() == JDBC_PREFIX.length())
      throw new IllegalArgumentException("names no database");
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    StringBuilder rest = new StringBuilder();
    for (String param : q < 0 ? new String[0] : text.substring(q + 1).split("&")) {
      if (param.startsWith("user=")) user = Optional.of(decode(param.substring(5), "user name"));
      else if (param.startsWith("password="))
        password = Optional.of(decode(param.substring(9), "password"));
      else if (!param.isEmpty()) rest.append(rest.isEmpty() ? "?" : "&").append(param);
    }
    String display = base + user.map(u -> " (user " + u + ")").orElse("");
    return new PostgresUrl(base + rest, user, password, display);
  }

  private static String decode(String raw, String what) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("has a badly percent-encoded " + what);
    }
  }

  /** The same database with this password (given apart from the URL). */
  PostgresUrl withPassword(String password) {
    return new PostgresUrl(jdbcUrl, user, Optional.of(password), display);
  }

  /**
   * Replaces the password wherever it appears (driver messages), for text that may be shown or
   * logged.
   */
  String redact(String text) {
    if (text == null) return "";
    return password.filter(p -> !p.isEmpty()).map(p -> text.replace(p, "****")).orElse(text);
  }

  /**
   * A plain connection outside any pool (LISTEN/NOTIFY, bulk copies), with extra driver properties
   * such as {@code ApplicationName}.
   */
  java.sql.Connection connect(java.util.Map<String, String> properties)
      throws java.sql.SQLException {
    java.util.Properties props = new java.util.Properties();
    user.ifPresent(u -> props.setProperty("user", u));
    password.ifPresent(p -> props.setProperty("password", p));
    props.putAll(properties);
    return java.sql.DriverManager.getConnection(jdbcUrl, props);
  }

  /**
   * The database as a libpq URL for PostgreSQL's own tools ({@code pg_dump}, {@code psql}), with
   * the user and without the password (they read it from {@code PGPASSWORD} or {@code ~/.pgpass}).
   */
  String libpqUrl() {
    String address = jdbcUrl.substring(JDBC_PREFIX.length()).replaceFirst("^//", "");
    String userPart =
        user.map(u -> java.net.URLEncoder.encode(u, StandardCharsets.UTF_8) + "@").orElse("");
    return "postgresql://" + userPart + address;
  }

  @Override
  public String toString() {
    return display;
  }
}
