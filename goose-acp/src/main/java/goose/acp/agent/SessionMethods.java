package goose.acp.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcException;
import goose.acp.wire.AcpJson;
import goose.acp.wire.SessionUpdate;
import goose.extension.ExtensionConfig;
import goose.session.InvalidCursorException;
import goose.session.NameSource;
import goose.session.NewSession;
import goose.session.Page;
import goose.session.Session;
import goose.session.SessionNameRule;
import goose.session.SessionQuery;
import goose.session.WorkingDirectories;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The session methods: new, load (replay, then answer), resume (no replay), list (cursor paging,
 * {@code cwd} filter), close and delete. Every one acts for the connection's user, on the store the
 * REST API serves: a session of another user is not found.
 */
final class SessionMethods {
  static final int PAGE = 50;

  /** Store pages read at most for one filtered list answer (the rest follows the cursor). */
  static final int MAX_PAGES_PER_LIST = 20;

  /** How long {@code session/close} lets a cancelled prompt of this connection answer first. */
  static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

  private final AcpServices services;
  private final String user;
  private final AttachedSessions attached;
  private final SessionSettings settings;

  SessionMethods(AcpServices services, String user, AttachedSessions attached) {
    this.services = services;
    this.user = user;
    this.attached = attached;
    this.settings = new SessionSettings(services);
  }

  SessionSettings settings() {
    return settings;
  }

  JsonNode create(JsonNode params) {
    Path cwd = cwd(params);
    List<ExtensionConfig> servers = McpServers.parse(params.get("mcpServers"));
    Session session =
        services
            .sessions()
            .create(new NewSession(user, SessionNameRule.DEFAULT, cwd, NameSource.DEFAULT));
    try {
      attached.attach(session.id(), servers);
    } catch (RuntimeException e) {
      services.sessions().delete(user, session.id());
      throw e;
    }
    return settings.describe(session, AcpJson.object().put("sessionId", session.id()));
  }

  /** Replays the stored conversation as updates, then answers (the ACP order). */
  JsonNode load(JsonNode params) {
    Session session = find(params);
    List<ExtensionConfig> servers = McpServers.parse(params.get("mcpServers"));
    SessionFollower follower = attached.attach(session.id(), servers);
    for (SessionUpdate u : ConversationReplay.of(services.sessions().conversation(session.id()))) {
      follower.send(u);
    }
    return settings.describe(session, AcpJson.object());
  }

  /** Takes the session up again without replaying it. */
  JsonNode resume(JsonNode params) {
    Session session = find(params);
    attached.attach(session.id(), McpServers.parse(params.get("mcpServers")));
    return settings.describe(session, AcpJson.object());
  }

  JsonNode list(JsonNode params) {
    Optional<String> cwd = optText(params, "cwd");
    Optional<String> cursor = optText(params, "cursor");
    ArrayNode sessions = AcpJson.MAPPER.createArrayNode();
    Optional<String> next = cursor;
    try {
      for (int pages = 0; pages < MAX_PAGES_PER_LIST; pages++) {
        Page<Session> page =
            services.sessions().list(user, new SessionQuery(PAGE, next, Optional.empty()));
        for (Session s : page.items()) {
          if (cwd.isEmpty() || s.workingDir().toString().equals(cwd.get())) sessions.add(info(s));
        }
        next = page.nextCursor();
        if (next.isEmpty() || sessions.size() >= PAGE) break;
      }
    } catch (InvalidCursorException e) {
      throw RpcException.invalidParams("cursor is not a cursor of session/list");
    }
    ObjectNode result = AcpJson.object();
    result.set("sessions", sessions);
    next.ifPresent(c -> result.put("nextCursor", c));
    return result;
  }

  /**
   * Cancels the session's running turn, as {@code session/cancel} does (the ACP schema: close
   * cancels any ongoing work of the session), waits briefly for this connection's prompts to answer
   * {@code cancelled}, then stops following the session here (and its own MCP servers). The session
   * stays stored.
   */
  JsonNode close(JsonNode params) {
    Session session = find(params);
    services.turns().cancel(user, session.id());
    attached.follower(session.id()).ifPresent(f -> f.awaitPromptedTurns(CLOSE_WAIT));
    attached.detach(session.id());
    return AcpJson.object();
  }

  /** Deletes the session, as {@code DELETE /sessions/{id}} does. */
  JsonNode delete(JsonNode params) {
    Session session = find(params);
    if (!services.sessions().delete(user, session.id())) {
      if (services.sessions().runningTurn(session.id()).isPresent()) // on any instance
      throw AcpErrors.error(
            RpcException.INVALID_REQUEST,
            "A turn is running in this session",
            "conflict",
            "a turn is running in session " + session.id() + "; cancel it first");
      throw RpcException.notFound("Session not found: " + session.id());
    }
    attached.detach(session.id());
    services.events().forget(session.id());
    return AcpJson.object();
  }

  JsonNode setConfigOption(JsonNode params) {
    Session session = find(params);
    String configId = text(params, "configId");
    JsonNode value = params.get("value");
    if (value == null || !value.isTextual())
      throw RpcException.invalidParams("value must be a string");
    Session now = settings.set(session, configId, value.asText());
    attached
        .follower(now.id())
        .ifPresent(f -> f.send(new SessionUpdate.ConfigOptionUpdate(settings.options(now))));
    ObjectNode result = AcpJson.object();
    result.set("configOptions", AcpJson.tree(settings.options(now)));
    return result;
  }

  JsonNode setMode(JsonNode params) {
    Session session = find(params);
    Session now = settings.setMode(session, text(params, "modeId"));
    attached
        .follower(now.id())
        .ifPresent(f -> f.send(new SessionUpdate.CurrentModeUpdate(settings.mode(now))));
    return AcpJson.object();
  }

  /** Tells this connection's follower of the session its new title. */
  void renamed(Session s) {
    ObjectNode meta = AcpJson.object().put("userSetName", true);
    attached
        .follower(s.id())
        .ifPresent(
            f ->
                f.send(
                    new SessionUpdate.SessionInfoUpdate(
                        Optional.of(s.name()),
                        Optional.of(s.updatedAt().toString()),
                        Optional.of(meta))));
  }

  /** ACP's SessionInfo, with goose's {@code _meta} (message count, times, whether renamed). */
  static ObjectNode info(Session s) {
    ObjectNode info =
        AcpJson.object()
            .put("sessionId", s.id())
            .put("cwd", s.workingDir().toString())
            .put("title", s.name())
            .put("updatedAt", s.updatedAt().toString());
    info.putObject("_meta")
        .put("messageCount", s.messageCount())
        .put("createdAt", s.createdAt().toString())
        .put("lastMessageAt", s.updatedAt().toString())
        .put("userSetName", !s.name().equals(SessionNameRule.DEFAULT));
    return info;
  }

  Session find(JsonNode params) {
    String id = text(params, "sessionId");
    return services
        .sessions()
        .get(user, id)
        .orElseThrow(() -> RpcException.notFound("Session not found: " + id));
  }

  private Path cwd(JsonNode params) {
    Path cwd;
    try {
      cwd = WorkingDirectories.resolve(text(params, "cwd"));
    } catch (IllegalArgumentException e) {
      throw RpcException.invalidParams("cwd " + e.getMessage());
    }
    try {
      services.workspaces().check(user, cwd);
    } catch (IllegalArgumentException e) {
      throw RpcException.invalidParams("cwd " + e.getMessage());
    }
    return cwd;
  }

  static String text(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty())
      throw RpcException.invalidParams(field + " must be a non-empty string");
    return v.asText();
  }

  static Optional<String> optText(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isTextual()) throw RpcException.invalidParams(field + " must be a string");
    return Optional.of(v.asText());
  }
}
