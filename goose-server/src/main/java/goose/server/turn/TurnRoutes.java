package goose.server.turn;

import goose.agent.TurnService;
import goose.conversation.Content;
import goose.event.EventLog;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.server.api.ApiRouter;
import goose.server.api.Operation;
import goose.server.api.Param;
import goose.server.api.RequestBody;
import goose.server.api.RouteGroup;
import goose.server.http.ApiException;
import goose.server.http.CredentialCheck;
import goose.server.http.RequestUser;
import goose.server.limits.StreamLimiter;
import goose.server.session.SessionRoutes;
import goose.server.telemetry.Telemetry;
import goose.session.Session;
import goose.session.SessionStore;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns: send a message and stream the reply, follow a session's event log, cancel. The reply
 * stream of {@code POST /sessions/{id}/messages} is only a follower of the session's event log from
 * the turn's first event, exactly like {@code GET /sessions/{id}/events}, so replay, reconnect and
 * restart work the same way for both.
 */
public final class TurnRoutes implements RouteGroup {
  /**
   * While a turn streams, a silent second is answered with a comment: a gone client is noticed
   * within about a second.
   */
  static final Duration TURN_PROBE = Duration.ofSeconds(1);

  /** Keep-alive comment interval of a long-lived event stream. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final String EVENT_STREAM = Operation.EVENT_STREAM;
  private static final Param<Integer> AFTER =
      Param.queryInt(
          "after",
          "Send events with a sequence number above this (default 0); a Last-Event-ID header wins over it",
          0,
          Integer.MAX_VALUE,
          0);

  private final SessionStore sessions;
  private final EventLog events;
  private final TurnService turns;
  private final StreamLimiter streams;
  private final Telemetry telemetry;

  public TurnRoutes(
      SessionStore sessions,
      EventLog events,
      TurnService turns,
      StreamLimiter streams,
      Telemetry telemetry) {
    this.sessions = sessions;
    this.events = events;
    this.turns = turns;
    this.streams = streams;
    this.telemetry = telemetry;
  }

  public static void declare(ApiRouter.Routes<TurnRoutes> api) {
    api.post("/sessions/{id}/messages", "sendMessage")
        .tag("turns")
        .summary("Send a message and stream the agent's reply")
        .description(
            """
            Starts a turn and answers with its events as Server-Sent Events (event: name, id: sequence number, \
            data: JSON): message_chunk, tool_call, tool_result, notification, tool_approval_required, turn_error, \
            usage (after each model call: tokens with cache reads and writes, estimated cost, stop reason), \
            and message_complete, always last. Each event's data is a TurnEvent whose `event` property repeats \
            its name. A session created without a name gets session_renamed after its first turn, in the \
            session's event log (GET /sessions/{id}/events). A client whose Accept header excludes text/event-stream gets 202 with the turn's ids \
            instead and follows it through GET /sessions/{id}/events. Problems found before the turn starts \
            are JSON errors, not streams.""")
        .param(SessionRoutes.ID)
        .body(SendMessageRequest.class)
        .response(
            200,
            "The turn's events as Server-Sent Events; each event's data is a TurnEvent",
            EVENT_STREAM,
            TurnEvent.class)
        .response(
            202, "The turn started (client did not accept an event stream)", TurnAccepted.class)
        .error(400, "Bad message")
        .error(404, "No such session")
        .error(409, "A turn is already running in this session")
        .error(422, "The request_id was already used for a different message in this session")
        .error(
            429,
            "Too many requests or turns, or the user already has GOOSE_MAX_STREAMS_PER_USER event streams open")
        .error(503, "No provider configured (the message names the settings to set)")
        .handle(TurnRoutes::send);
    api.get("/sessions/{id}/events", "followSessionEvents")
        .tag("turns")
        .summary("Replay and follow a session's event log")
        .description(
            """
            Sends the stored events after Last-Event-ID (else ?after=N, else from the start), then follows live \
            ones until the client disconnects; a keep-alive comment every 15 s. Use it to re-attach after a \
            dropped connection or a server restart: nothing is missed. The header wins over ?after= because a \
            standard EventSource keeps its URL (events_url carries ?after=) and adds Last-Event-ID when it \
            reconnects.""")
        .param(SessionRoutes.ID)
        .param(AFTER)
        .response(
            200,
            "The session's events as Server-Sent Events; each event's data is a TurnEvent",
            EVENT_STREAM,
            TurnEvent.class)
        .error(400, "Bad Last-Event-ID or after")
        .error(404, "No such session")
        .error(
            429,
            "Too many requests, or the user already has GOOSE_MAX_STREAMS_PER_USER event streams open")
        .handle(TurnRoutes::follow);
    api.post("/sessions/{id}/cancel", "cancelTurn")
        .tag("turns")
        .summary("Cancel the running turn of a session")
        .param(SessionRoutes.ID)
        .response(200, "Whether a turn was running and is now cancelled", CancelResult.class)
        .error(404, "No such session")
        .handle(TurnRoutes::cancel);
  }

  private void send(Context ctx) throws Exception {
    Session session = SessionRoutes.find(ctx, sessions);
    SendMessageRequest body = RequestBody.of(ctx, SendMessageRequest.class);
    List<Content> content = UserContent.parse(body.content());
    Optional<String> requestId = body.requestId().map(TurnRoutes::checkRequestId);
    String user = RequestUser.of(ctx).id();
    if (!acceptsEventStream(ctx.header("Accept"))) {
      TurnService.StartedTurn turn = turns.start(user, session, content, requestId);
      String url = "/sessions/" + session.id() + "/events?after=" + (turn.firstSeq() - 1);
      ctx.status(202)
          .json(
              new TurnAccepted(
                  session.id(), turn.turnId(), turn.firstSeq(), turn.reattached(), url));
      return;
    }
    boolean keepRunning =
        body.onDisconnect().orElse(SendMessageRequest.OnDisconnect.CANCEL)
            == SendMessageRequest.OnDisconnect.CONTINUE;
    StreamLimiter.Permit permit = streams.open(user);
    try (permit) {
      TurnService.StartedTurn turn = turns.start(user, session, content, requestId);
      long after = turn.firstSeq() - 1;
      if (turn.reattached()) {
        // A client re-attaching by its request_id resumes where its Last-Event-ID says, as on GET.
        after = Math.max(after, lastEventId(ctx).orElse(after));
        if (turns.endedBy(session.id(), turn.turnId(), turn.firstSeq(), after))
          return; // nothing left
      }
      Telemetry.Stream open = telemetry.streamOpened(true);
      try (open;
          EventLog.Subscription sub = events.subscribe(session.id(), after)) {
        SseWriter out = new SseWriter(ctx.res());
        CredentialCheck credentials = CredentialCheck.of(ctx);
        // A re-attach may have found a turn whose start then failed and removed it: its end will
        // never come, so the stream also asks whether the turn is still there.
        CredentialCheck stillFollowing =
            turn.reattached() && requestId.isPresent()
                ? () ->
                    credentials.stillValid()
                        && sessions.turnByRequestId(session.id(), requestId.get()).isPresent()
                : credentials;
        EventFollower.End end =
            EventFollower.follow(
                out, sub, e -> endsTurn(e, turn.turnId()), TURN_PROBE, stillFollowing);
        // Only the request that started the turn says what its client's hang-up does: a retry
        // that re-attached and hung up leaves the turn to it (and to its instance alike).
        if (end == EventFollower.End.CLIENT_GONE && !keepRunning && !turn.reattached())
          turns.cancelTurn(session.id(), turn.turnId());
      }
    }
  }

  private void follow(Context ctx) throws Exception {
    Session session = SessionRoutes.find(ctx, sessions);
    long after = startAfter(ctx);
    String user = RequestUser.of(ctx).id();
    StreamLimiter.Permit permit = streams.open(user);
    Telemetry.Stream open = telemetry.streamOpened(false);
    CredentialCheck credentials = CredentialCheck.of(ctx);
    // Asked with the credentials: a session deleted on another instance ends this stream too (a
    // delete here ends it at once), instead of keeping one of the user's stream permits.
    CredentialCheck stillFollowing =
        () -> credentials.stillValid() && sessions.get(user, session.id()).isPresent();
    try (permit;
        open;
        EventLog.Subscription sub = events.subscribe(session.id(), after)) {
      EventFollower.follow(new SseWriter(ctx.res()), sub, e -> false, KEEP_ALIVE, stillFollowing);
    }
  }

  private void cancel(Context ctx) {
    Session session = SessionRoutes.find(ctx, sessions);
    ctx.json(new CancelResult(turns.cancel(RequestUser.of(ctx).id(), session.id())));
  }

  private static boolean endsTurn(StoredEvent e, String turnId) {
    return e.event() instanceof TurnEvent.MessageComplete && e.turnId().equals(turnId);
  }

  /**
   * Streams unless the client's Accept header names types and none of them covers
   * text/event-stream.
   */
  static boolean acceptsEventStream(String accept) {
    if (accept == null || accept.isBlank()) return true;
    // RFC 9110 12.5.1: the most specific range that covers text/event-stream decides, and q=0
    // there means "not acceptable" (text/event-stream;q=0, application/json: the 202 answer).
    int decidedBy = -1; // 2 text/event-stream, 1 text/*, 0 */*
    double quality = 0;
    for (String part : accept.split(",", -1)) {
      String[] pieces = part.split(";");
      String type = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
      int specificity =
          type.equals(EVENT_STREAM) ? 2 : type.equals("text/*") ? 1 : type.equals("*/*") ? 0 : -1;
      if (specificity < 0 || specificity < decidedBy) continue;
      double q = quality(pieces);
      quality = specificity > decidedBy ? q : Math.max(quality, q);
      decidedBy = specificity;
    }
    return decidedBy >= 0 && quality > 0;
  }

  /** The {@code q} parameter of a media range; 1 when absent or unreadable. */
  private static double quality(String[] pieces) {
    for (int i = 1; i < pieces.length; i++) {
      String parameter = pieces[i].trim();
      if (parameter.length() > 2 && parameter.regionMatches(true, 0, "q=", 0, 2)) {
        try {
          return Double.parseDouble(parameter.substring(2).trim());
        } catch (NumberFormatException e) {
          return 1;
        }
      }
    }
    return 1;
  }

  /**
   * Where a follow starts: after the Last-Event-ID header when there is one (it wins over ?after=),
   * else after {@code ?after=}, else from the start.
   */
  private static long startAfter(Context ctx) {
    long after = AFTER.read(ctx); // read (and checked) even when the header wins
    return lastEventId(ctx).orElse(after);
  }

  /** The Last-Event-ID header as a sequence number; empty when absent or blank. */
  private static Optional<Long> lastEventId(Context ctx) {
    String lastEventId = ctx.header("Last-Event-ID");
    if (lastEventId == null || lastEventId.isBlank()) return Optional.empty();
    try {
      long seq = Long.parseLong(lastEventId.trim());
      if (seq < 0) throw new NumberFormatException();
      return Optional.of(seq);
    } catch (NumberFormatException e) {
      throw new ApiException(
          goose.server.http.ErrorCode.INVALID_PARAMETER,
          "header 'Last-Event-ID' must be an event sequence number");
    }
  }

  private static String checkRequestId(String id) {
    if (id.isEmpty() || id.length() > 128 || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ApiException.badField("request_id", "must be 1-128 printable characters");
    }
    return id;
  }
}
