package goose.server;

import goose.server.api.Access;
import goose.server.api.Operation;
import goose.server.api.OperationMetadata;
import goose.server.auth.AuthMode;
import goose.server.auth.Authenticator;
import goose.server.auth.Security;
import goose.server.http.ApiException;
import goose.server.http.CredentialCheck;
import goose.server.http.ErrorCode;
import goose.server.http.RequestUser;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The one place that decides a request's user (beside {@link HttpApp}, which installs it: it joins
 * the operations of {@code api} with the credentials of {@code auth}, so neither package depends on
 * the other's side). Installed as Javalin filters, after {@link HostGate} has refused any request
 * whose Host is not one of the server's names: CORS first (a preflight is answered before any
 * credentials are asked for), then, once the request has matched an {@link Operation}, its {@link
 * Access}: public operations pass; every other needs credentials (401), admin operations an admin
 * in the multi-user modes (403), and each user's requests are rate limited (429). The handler then
 * reads the user with {@link RequestUser#of}, and a stream that stays open re-checks the request's
 * credentials with {@link CredentialCheck#of}.
 */
final class AuthFilter {
  /**
   * Not a valid user name, so it owns nothing: the user of a request no filter has vouched for
   * (multi-user modes).
   */
  static final RequestUser NOBODY = RequestUser.named("-", false);

  private final Security security;

  AuthFilter(Security security) {
    this.security = security;
  }

  void install(JavalinConfig cfg) {
    cfg.routes.before(this::beforeAll);
    cfg.routes.beforeMatched(this::beforeOperation);
  }

  private void beforeAll(Context ctx) {
    if (security.auth().mode() != AuthMode.NONE) RequestUser.set(ctx, NOBODY);
    security.cors().handle(ctx);
  }

  private void beforeOperation(Context ctx) {
    Optional<Operation> op = OperationMetadata.of(ctx);
    Access access = op.map(Operation::access).orElse(Access.USER);
    if (access == Access.PUBLIC) return;
    Authenticator.Authenticated proof = security.authenticator().authenticate(ctx);
    RequestUser user = proof.user();
    RequestUser.set(ctx, user);
    CredentialCheck.set(ctx, proof.check());
    if (access == Access.ADMIN && !user.admin()) {
      throw new ApiException(
          ErrorCode.FORBIDDEN, "only an admin may do this (" + adminHint() + ")");
    }
    security.rateLimiter().acquire(user.id());
  }

  private String adminHint() {
    return switch (security.auth().mode()) {
      case TOKENS -> "goose users add NAME --admin";
      case PROXY -> "GOOSE_ADMIN_USERS";
      case NONE, SECRET -> "the local user administers";
    };
  }
}
