package goose.server.session;

import goose.approval.Approvals;
import goose.server.api.ApiRouter;
import goose.server.api.Param;
import goose.server.api.RequestBody;
import goose.server.api.RouteGroup;
import goose.server.auth.Workspaces;
import goose.server.http.ApiException;
import goose.server.http.ErrorCode;
import goose.server.http.RequestUser;
import goose.session.Session;
import goose.session.SessionStore;
import goose.transfer.InvalidDocumentException;
import goose.transfer.SessionDocument;
import goose.transfer.SessionTransfer;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Moving a session between servers (or databases): export it as one versioned JSON document, import
 * such a document as a new session of the importing user.
 */
public final class SessionTransferRoutes implements RouteGroup {
  private static final Param<Optional<String>> IMPORT_CWD =
      Param.queryText(
          "cwd",
          "Working directory of the new session (default: the exported one, which must exist here)",
          4096);

  private final SessionStore sessions;
  private final Approvals approvals;
  private final Workspaces workspaces;

  public SessionTransferRoutes(SessionStore sessions, Approvals approvals, Workspaces workspaces) {
    this.sessions = sessions;
    this.approvals = approvals;
    this.workspaces = workspaces;
  }

  public static void declare(ApiRouter.Routes<SessionTransferRoutes> api) {
    api.get("/sessions/{id}/export", "exportSession")
        .tag("sessions")
        .summary("Export a session as a self-contained JSON document")
        .description(
            """
            The document (format "goosed-session", version 1) holds the session's metadata, every message with \
            all its fields, and the event log a client replays. POST it to /sessions/import on any goosed to \
            make a copy.""")
        .param(SessionRoutes.ID)
        .response(200, "The session document", SessionDocument.class)
        .error(404, "No such session")
        .handle(SessionTransferRoutes::export);
    api.post("/sessions/import", "importSession")
        .tag("sessions")
        .summary("Import an exported session as a new session")
        .description(
            """
            Creates a new session (new id, owned by the caller) with the document's conversation and events. \
            A document of another format or version, or one that does not hold together, is refused with 400 \
            naming the problem; one larger than GOOSE_MAX_BODY_BYTES with 413. With GOOSE_WORKSPACES_ROOT the \
            working directory (?cwd=, else the document's) must lie in the importer's workspace, else 400 \
            naming cwd.""")
        .param(IMPORT_CWD)
        .body(SessionDocument.class)
        .response(201, "The new session", SessionView.class)
        .error(409, SessionRoutes.WORKSPACE_TAKEN)
        .handle(SessionTransferRoutes::importDocument);
  }

  private void export(Context ctx) {
    Session session = SessionRoutes.find(ctx, sessions);
    ctx.header("Content-Disposition", "attachment; filename=\"session-" + session.id() + ".json\"");
    ctx.json(SessionTransfer.export(sessions, session));
  }

  private void importDocument(Context ctx) {
    SessionDocument doc = RequestBody.of(ctx, SessionDocument.class);
    try {
      SessionTransfer.validate(doc);
    } catch (InvalidDocumentException e) {
      throw new ApiException(
          ErrorCode.INVALID_FIELD, "not an importable session document: " + e.getMessage());
    }
    Optional<String> cwd = IMPORT_CWD.read(ctx);
    RequestUser user = RequestUser.of(ctx);
    workspaces.workspaceOf(user);
    Path dir =
        cwd.isPresent()
            ? WorkingDirs.check(cwd.get(), "cwd", workspaces, user)
            : WorkingDirs.check(
                doc.session().workingDir() == null ? "" : doc.session().workingDir(),
                "session.working_dir",
                workspaces,
                user);
    // The same rule as creating a session: the copy works where its importer may work, whether the
    // directory came from ?cwd= or from the document.
    if (!workspaces.contains(user, dir)) {
      throw ApiException.badField(
          "cwd",
          (cwd.isPresent()
                  ? ""
                  : "(the document's working directory " + dir + ", as ?cwd= is not given) ")
              + "must lie inside your workspace "
              + workspaces.workspaceOf(user).orElseThrow()
              + " (GOOSE_WORKSPACES_ROOT), after resolving symlinks: pass ?cwd= a directory in it");
    }
    Session created = SessionTransfer.importAs(sessions, user.id(), dir, doc);
    ctx.status(201)
        .header("Location", "/sessions/" + created.id())
        .json(SessionView.of(created, SessionRoutes.defaultMode(approvals)));
  }
}
