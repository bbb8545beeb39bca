package goose.server.auth;

import goose.server.http.ApiException;
import goose.server.http.CredentialCheck;
import goose.server.http.ErrorCode;
import goose.server.http.RequestUser;
import goose.user.UserNames;
import goose.user.UserStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who a request is, one implementation per {@link AuthMode}; a request that cannot prove it
 * gets a 401 {@link ApiException}. Messages say what to send, never echo what was sent. With the
 * user comes the {@link CredentialCheck} of the credentials it was proven by, which a stream that
 * stays open asks again: a bearer token that stops authenticating (rotated, user removed) ends it.
 */
public sealed interface Authenticator {
  String SECRET_HEADER = "X-Secret-Key";

  /** Who a request proved to be, and how to ask again later whether its credentials still do. */
  record Authenticated(RequestUser user, CredentialCheck check) {
    static Authenticated forever(RequestUser user) {
      return new Authenticated(user, CredentialCheck.ALWAYS);
    }
  }

  Authenticated authenticate(Context ctx);

  /**
   * The user of a credential passed as {@code ?token=} (a browser cannot set headers on a WebSocket
   * upgrade): the shared secret, or a bearer token; throws 401 like {@link #authenticate}. A proxy
   * vouches by header only, so in proxy mode a token proves nothing.
   */
  Authenticated authenticateToken(Context ctx, String token);

  static Authenticator of(AuthSettings settings, Optional<UserStore> users) {
    return switch (settings.mode()) {
      case NONE -> new Anyone();
      case SECRET -> new SharedSecret(settings.secret().orElseThrow());
      case TOKENS -> new BearerTokens(users.orElseThrow());
      case PROXY -> new TrustedProxy(settings);
    };
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(ErrorCode.UNAUTHORIZED, message);
  }

  /**
   * The one value of a credentials header; absent when not sent. Sent twice, it is refused: which
   * one counts would otherwise be the server's guess (the first), and a proxy in front may have
   * checked the other.
   */
  private static java.util.Optional<String> credentialsHeader(Context ctx, String name) {
    java.util.List<String> values = java.util.Collections.list(ctx.req().getHeaders(name));
    if (values.size() > 1)
      throw unauthorized(
          "the " + name + " header was sent " + values.size() + " times; send it once");
    return values.stream().findFirst();
  }

  /** {@code none}: everyone is the local user. */
  record Anyone() implements Authenticator {
    @Override
    public Authenticated authenticate(Context ctx) {
      return Authenticated.forever(RequestUser.LOCAL);
    }

    @Override
    public Authenticated authenticateToken(Context ctx, String token) {
      return Authenticated.forever(RequestUser.LOCAL);
    }
  }

  /**
   * {@code secret}: the single local user, proven by {@code X-Secret-Key}. Both sides are hashed
   * before the constant-time comparison, so neither the content nor the length of the secret leaks
   * through timing. The secret is fixed while the server runs: a proof never lapses.
   */
  final class SharedSecret implements Authenticator {
    private final byte[] expected;

    SharedSecret(String secret) {
      this.expected = sha256(secret);
    }

    @Override
    public Authenticated authenticate(Context ctx) {
      String sent = credentialsHeader(ctx, SECRET_HEADER).orElse("");
      if (sent.isEmpty())
        throw unauthorized("missing credentials: send the header " + SECRET_HEADER);
      if (!MessageDigest.isEqual(expected, sha256(sent)))
        throw unauthorized("wrong " + SECRET_HEADER);
      return Authenticated.forever(RequestUser.LOCAL);
    }

    @Override
    public Authenticated authenticateToken(Context ctx, String token) {
      if (!MessageDigest.isEqual(expected, sha256(token))) throw unauthorized("wrong token");
      return Authenticated.forever(RequestUser.LOCAL);
    }

    private static byte[] sha256(String s) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * {@code tokens}: {@code Authorization: Bearer <token>}, looked up in the store on every request
   * (so CLI changes apply at once); an open stream looks its token up again every {@link
   * CredentialCheck#INTERVAL}, and ends once it finds another user or none.
   */
  record BearerTokens(UserStore users) implements Authenticator {
    static final String CHALLENGE = "Bearer realm=\"goosed\"";

    @Override
    public Authenticated authenticate(Context ctx) {
      String header = credentialsHeader(ctx, "Authorization").orElse("");
      if (header.isBlank()) {
        throw unauthorized(
                "missing credentials: send Authorization: Bearer <token> (goose users add NAME prints one)")
            .withHeader("WWW-Authenticate", CHALLENGE);
      }
      String[] parts = header.strip().split("\\s+", 2);
      if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
        throw unauthorized("the Authorization header must be: Bearer <token>")
            .withHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_request\"");
      }
      return authenticateToken(ctx, parts[1].strip());
    }

    @Override
    public Authenticated authenticateToken(Context ctx, String token) {
      RequestUser user =
          users
              .authenticate(token)
              .map(u -> new RequestUser(u.name(), u.id(), u.admin()))
              .orElseThrow(
                  () ->
                      unauthorized("invalid or revoked token")
                          .withHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\""));
      return new Authenticated(
          user, () -> users.authenticate(token).filter(u -> u.id().equals(user.id())).isPresent());
    }
  }

  /**
   * {@code proxy}: the user named by the proxy's header, believed only when the TCP peer is a
   * trusted proxy (a client cannot forge its peer address the way it can forge a header), or, on a
   * Unix socket, when {@code GOOSE_TRUSTED_PROXIES} lists {@code unix} (the socket's file mode
   * decides who can connect). The proxy vouches for each request it passes, so nothing here can
   * revoke a proof while a stream is open: the proxy ends the connection when it stops trusting it.
   * The {@code Host} was checked before ({@link AllowedHosts}), so a browser on the proxy's machine
   * cannot reach this through a DNS-rebound name. Admins are listed in {@code GOOSE_ADMIN_USERS}.
   */
  record TrustedProxy(
      String header,
      java.util.List<IpRange> trusted,
      boolean unixSocket,
      boolean trustUnix,
      Set<String> admins)
      implements Authenticator {
    TrustedProxy(AuthSettings settings) {
      this(
          settings.proxyUserHeader(),
          settings.trustedProxies(),
          settings.unixSocket(),
          settings.trustUnixSocket(),
          settings.adminUsers());
    }

    @Override
    public Authenticated authenticate(Context ctx) {
      if (!fromTrustedPeer(ctx)) {
        throw unauthorized(
            "requests must come through the authenticating proxy (this peer address is not in GOOSE_TRUSTED_PROXIES)");
      }
      String name = credentialsHeader(ctx, header).orElse("");
      if (name.isBlank()) throw unauthorized("the proxy sent no " + header + " header");
      String user = name.strip();
      if (!UserNames.isValid(user))
        throw unauthorized("the proxy's " + header + " header is not a valid user name");
      if (UserNames.isReserved(user))
        throw unauthorized("the proxy's " + header + " header names a user the server reserves");
      return Authenticated.forever(RequestUser.named(user, admins.contains(user)));
    }

    private boolean fromTrustedPeer(Context ctx) {
      if (unixSocket) return trustUnix;
      String peer = ctx.req().getRemoteAddr();
      return peer != null && trusted.stream().anyMatch(r -> r.contains(peer));
    }

    @Override
    public Authenticated authenticateToken(Context ctx, String token) {
      return authenticate(ctx);
    }
  }
}
