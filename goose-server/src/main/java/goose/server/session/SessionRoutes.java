package goose.server.session;

import goose.approval.ApprovalMode;
import goose.approval.Approvals;
import goose.conversation.Message;
import goose.event.EventLog;
import goose.extension.ExtensionManager;
import goose.ids.Ids;
import goose.server.api.ApiRouter;
import goose.server.api.Param;
import goose.server.api.RequestBody;
import goose.server.api.RouteGroup;
import goose.server.auth.Workspaces;
import goose.server.http.ApiException;
import goose.server.http.RequestUser;
import goose.server.http.Sanitize;
import goose.session.InvalidCursorException;
import goose.session.NameSource;
import goose.session.NewSession;
import goose.session.Page;
import goose.session.Session;
import goose.session.SessionQuery;
import goose.session.SessionStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * The sessions resource: create, list, read (with the conversation), page through messages, rename,
 * delete.
 */
public final class SessionRoutes implements RouteGroup {
  public static final Param<String> ID = Param.path("id", "The session id");
  private static final Param<Integer> LIST_LIMIT =
      Param.queryInt("limit", "Sessions per page", 1, SessionQuery.MAX_LIMIT, 50);
  private static final Param<Optional<String>> CURSOR =
      Param.queryText("cursor", "The next_cursor of the previous page", 512);
  private static final Param<Optional<String>> NAME_FILTER =
      Param.queryText(
          "q",
          "Only sessions whose name contains this text (case-insensitive)",
          goose.session.SessionNameRule.MAX_LENGTH);
  private static final Param<Optional<String>> AFTER =
      Param.queryText(
          "after",
          "Only messages after the message with this id (the next_after of the previous page)",
          64);
  private static final Param<Integer> MESSAGE_LIMIT =
      Param.queryInt("limit", "Messages per page", 1, 1000, 100);

  /** The 409 of a route that claims the user's workspace. */
  public static final String WORKSPACE_TAKEN =
      "The user's workspace belonged to an earlier, removed user of the same name";

  private final SessionStore sessions;
  private final EventLog events;
  private final ExtensionManager extensions;
  private final Approvals approvals;
  private final Workspaces workspaces;

  public SessionRoutes(
      SessionStore sessions,
      EventLog events,
      ExtensionManager extensions,
      Approvals approvals,
      Workspaces workspaces) {
    this.sessions = sessions;
    this.events = events;
    this.extensions = extensions;
    this.approvals = approvals;
    this.workspaces = workspaces;
  }

  public static void declare(ApiRouter.Routes<SessionRoutes> api) {
    api.post("/sessions", "createSession")
        .tag("sessions")
        .summary("Create a session")
        .description(
            "cwd must be the absolute path of an existing directory (inside GOOSE_WORKSPACES_ROOT/<user>/ when that is set);"
                + " name defaults to \""
                + SessionNames.DEFAULT
                + "\", which a title of four words or fewer replaces after the first exchange"
                + " (GOOSE_SESSION_TITLES, GOOSE_TITLE_MODEL; a session_renamed event announces it).")
        .body(CreateSessionRequest.class)
        .response(201, "The new session", SessionView.class)
        .error(409, WORKSPACE_TAKEN)
        .handle(SessionRoutes::create);
    api.get("/sessions", "listSessions")
        .tag("sessions")
        .summary("List sessions, most recently updated first")
        .param(LIST_LIMIT)
        .param(CURSOR)
        .param(NAME_FILTER)
        .response(200, "A page of sessions", SessionList.class)
        .handle(SessionRoutes::list);
    api.get("/sessions/{id}", "getSession")
        .tag("sessions")
        .summary("A session with its conversation")
        .param(ID)
        .response(200, "The session and its messages", SessionDetail.class)
        .error(404, "No such session")
        .handle(SessionRoutes::get);
    api.get("/sessions/{id}/messages", "listSessionMessages")
        .tag("sessions")
        .summary("Page through a session's conversation, oldest first")
        .param(ID)
        .param(AFTER)
        .param(MESSAGE_LIMIT)
        .response(200, "A page of messages", MessagePage.class)
        .error(404, "No such session")
        .handle(SessionRoutes::messages);
    api.patch("/sessions/{id}", "updateSession")
        .tag("sessions")
        .summary("Rename a session or set its tool approval mode")
        .param(ID)
        .body(UpdateSessionRequest.class)
        .response(200, "The updated session", SessionView.class)
        .error(404, "No such session")
        .handle(SessionRoutes::update);
    api.delete("/sessions/{id}", "deleteSession")
        .tag("sessions")
        .summary("Delete a session with its messages and events")
        .param(ID)
        .noContent(204, "Deleted")
        .error(404, "No such session")
        .error(409, "A turn is running in this session")
        .handle(SessionRoutes::delete);
  }

  private void create(Context ctx) {
    CreateSessionRequest body = RequestBody.of(ctx, CreateSessionRequest.class);
    Optional<String> given = body.name().map(n -> SessionNames.check(n, "name"));
    RequestUser user = RequestUser.of(ctx);
    workspaces.workspaceOf(user);
    java.nio.file.Path cwd = WorkingDirs.check(body.cwd(), "cwd", workspaces, user);
    workspaces.check(user, cwd, "cwd");
    NewSession draft =
        new NewSession(
            user.id(),
            given.orElse(SessionNames.DEFAULT),
            cwd,
            given.isPresent() ? NameSource.USER : NameSource.DEFAULT);
    Session session = sessions.create(draft);
    ctx.status(201)
        .header("Location", "/sessions/" + session.id())
        .json(SessionView.of(session, defaultMode(approvals)));
  }

  private void list(Context ctx) {
    SessionQuery query =
        new SessionQuery(LIST_LIMIT.read(ctx), CURSOR.read(ctx), NAME_FILTER.read(ctx));
    Page<Session> page;
    try {
      page = sessions.list(RequestUser.of(ctx).id(), query);
    } catch (InvalidCursorException e) {
      throw ApiException.badParameter("cursor", "is not a cursor this server produced");
    }
    ctx.json(
        new SessionList(
            page.items().stream().map(s -> SessionView.of(s, defaultMode(approvals))).toList(),
            page.nextCursor()));
  }

  private void get(Context ctx) {
    Session session = find(ctx, sessions);
    // In this order: events appended after lastSeq, or by the running turn, are not lost to a
    // client that renders the messages and then follows the log (it skips what it already has).
    long lastSeq = events.lastSeq(session.id());
    Optional<RunningTurnView> running = sessions.runningTurn(session.id()).map(RunningTurnView::of);
    ctx.json(
        SessionDetail.of(
            session,
            defaultMode(approvals),
            MessageView.of(sessions.conversation(session.id())),
            lastSeq,
            running,
            sessions.turnErrors(session.id(), SessionDetail.TURN_ERRORS).stream()
                .filter(e -> e.seq() <= lastSeq) // later ones reach a follower as events
                .flatMap(e -> TurnErrorView.of(e).stream())
                .toList()));
  }

  private void messages(Context ctx) {
    Session session = find(ctx, sessions);
    Optional<String> after = AFTER.read(ctx);
    if (after.isPresent() && !Ids.isWellFormed(after.get())) {
      throw ApiException.badParameter("after", "is not a message id");
    }
    int limit = MESSAGE_LIMIT.read(ctx);
    List<Message> fetched;
    try {
      fetched = sessions.messages(session.id(), after, limit + 1);
    } catch (IllegalArgumentException unknownAfter) {
      throw ApiException.badParameter("after", "is not the id of a message in this session");
    }
    boolean more = fetched.size() > limit;
    List<Message> page = more ? fetched.subList(0, limit) : fetched;
    Optional<String> next = more ? Optional.of(page.get(page.size() - 1).id()) : Optional.empty();
    ctx.json(new MessagePage(MessageView.of(page), next));
  }

  private void update(Context ctx) {
    UpdateSessionRequest body = RequestBody.of(ctx, UpdateSessionRequest.class);
    Optional<ApprovalMode> mode = body.mode().map(SessionRoutes::checkMode);
    Optional<String> name = body.name().map(n -> SessionNames.check(n, "name"));
    Session found = find(ctx, sessions);
    Session updated = found;
    if (name.isPresent()) {
      updated =
          sessions
              .rename(found.owner(), found.id(), name.get())
              .orElseThrow(() -> notFound(found.id()));
    }
    if (mode.isPresent()) {
      updated =
          sessions.setMode(found.owner(), found.id(), mode).orElseThrow(() -> notFound(found.id()));
    }
    ctx.json(SessionView.of(updated, defaultMode(approvals)));
  }

  private static ApprovalMode checkMode(String mode) {
    return ApprovalMode.parse(mode)
        .orElseThrow(() -> ApiException.badField("mode", "must be " + ApprovalMode.choices()));
  }

  static ApprovalMode defaultMode(Approvals approvals) {
    return approvals.settings().defaultMode();
  }

  private void delete(Context ctx) {
    Session session = find(ctx, sessions);
    if (!sessions.delete(session.owner(), session.id())) {
      if (sessions.runningTurn(session.id()).isPresent()) { // on any instance sharing the store
        throw new ApiException(
            goose.server.http.ErrorCode.CONFLICT,
            "a turn is running in session " + session.id() + "; cancel it first");
      }
      throw notFound(session.id());
    }
    events.forget(session.id());
    extensions.sessionEnded(session.id());
    ctx.status(204);
  }

  /**
   * The session named by the path, for this user; a malformed id is a 404 like a missing one and
   * never reaches the store.
   */
  public static Session find(Context ctx, SessionStore sessions) {
    String id = ID.read(ctx);
    if (!Ids.isWellFormed(id)) throw notFound(id);
    return sessions.get(RequestUser.of(ctx).id(), id).orElseThrow(() -> notFound(id));
  }

  static ApiException notFound(String id) {
    return ApiException.notFound("session " + Sanitize.shortText(id, 64) + " not found");
  }
}
