package goose.server.audit;

import goose.approval.AuditLog;
import goose.approval.AuditPage;
import goose.approval.AuditQuery;
import goose.ids.Ids;
import goose.server.api.Access;
import goose.server.api.ApiRouter;
import goose.server.api.Param;
import goose.server.api.RouteGroup;
import goose.server.http.ApiException;
import io.javalin.http.Context;
import java.util.Optional;

/** {@code GET /audit}: every tool call of every user, newest first, for administrators only. */
public final class AuditRoutes implements RouteGroup {
  private static final Param<Integer> LIMIT =
      Param.queryInt("limit", "Entries per page", 1, AuditQuery.MAX_LIMIT, 100);
  private static final Param<Optional<String>> CURSOR =
      Param.queryText("cursor", "The next_cursor of the previous page", 64);
  private static final Param<Optional<String>> USER =
      Param.queryText("user", "Only this user's calls", 256);
  private static final Param<Optional<String>> SESSION =
      Param.queryText("session_id", "Only this session's calls", 64);

  private final AuditLog audit;

  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public static void declare(ApiRouter.Routes<AuditRoutes> api) {
    api.get("/audit", "listAudit")
        .tag("audit")
        .summary("The tool-call audit (administrators only)")
        .description(
            """
            Every tool call with its time, user, session, tool, arguments (secrets redacted), decision (auto, \
            allowed_once, always_allowed, denied, timeout, cancelled), outcome (success or error) and duration.""")
        .param(LIMIT)
        .param(CURSOR)
        .param(USER)
        .param(SESSION)
        .response(200, "A page of audit entries", AuditList.class)
        .error(400, "Bad limit or cursor")
        .access(Access.ADMIN)
        .error(403, "The user is not an administrator")
        .handle(AuditRoutes::list);
  }

  private void list(Context ctx) {
    Optional<String> cursor = CURSOR.read(ctx);
    if (cursor.isPresent() && !Ids.isWellFormed(cursor.get())) {
      throw ApiException.badParameter("cursor", "is not a cursor this server produced");
    }
    AuditPage page =
        audit.list(new AuditQuery(LIMIT.read(ctx), cursor, USER.read(ctx), SESSION.read(ctx)));
    ctx.json(new AuditList(page.entries().stream().map(AuditView::of).toList(), page.nextCursor()));
  }
}
