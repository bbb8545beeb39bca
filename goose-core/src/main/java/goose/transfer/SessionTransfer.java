package goose.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.error.ErrorMessages;
import goose.event.EventCodec;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.json.LoneSurrogates;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionContent;
import goose.session.SessionNameRule;
import goose.session.SessionStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Exports a session to a {@link SessionDocument} and imports one as a new session. Import keeps
 * every message as it was (ids, times, visibility, usage) so the conversation reads back identical;
 * the events are appended in order and get fresh sequence numbers and times from the importing
 * store (a fresh session's log starts at 1, so the numbers match when the export was complete).
 * Turns are not carried: an imported session has no running turn.
 */
public final class SessionTransfer {
  /** Upper bounds that keep one import from swamping the store; a document past them is refused. */
  public static final int MAX_MESSAGES = 100_000;

  public static final int MAX_EVENTS = 1_000_000;
  private static final int EVENT_BATCH = 1000;

  /** The longest message id, as the {@code after} parameter of a messages page takes it. */
  static final int MAX_MESSAGE_ID = 64;

  private SessionTransfer() {}

  /** The whole session as a document. */
  public static SessionDocument export(SessionStore store, Session session) {
    List<Message> messages = store.conversation(session.id());
    List<SessionDocument.EventEntry> events = new ArrayList<>();
    long after = 0;
    while (true) {
      List<StoredEvent> batch = store.eventsAfter(session.id(), after, EVENT_BATCH);
      for (StoredEvent e : batch) {
        events.add(
            new SessionDocument.EventEntry(
                e.seq(),
                e.turnId(),
                Optional.of(e.createdAt()),
                EventCodec.eventName(e.event()),
                EventCodec.toJson(e.event())));
        after = e.seq();
      }
      if (batch.size() < EVENT_BATCH) break;
    }
    SessionDocument.SessionInfo info =
        new SessionDocument.SessionInfo(
            Optional.of(session.id()),
            session.name(),
            session.workingDir().toString(),
            Optional.of(session.createdAt()),
            Optional.of(session.updatedAt()),
            Optional.of(session.lastUsage()),
            Optional.of(session.totalUsage()),
            session.totalCostUsd());
    return new SessionDocument(
        SessionDocument.FORMAT,
        SessionDocument.VERSION,
        Optional.of(Instant.now()),
        info,
        messages,
        events);
  }

  /**
   * Reads and checks a document from JSON text; throws {@link InvalidDocumentException} naming the
   * problem.
   */
  public static SessionDocument parse(String json) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new InvalidDocumentException("not JSON: " + firstLine(ErrorMessages.of(e)));
    }
    if (node == null || !node.isObject())
      throw new InvalidDocumentException("a session document is a JSON object");
    LoneSurrogates.find(json)
        .ifPresent(
            problem -> {
              throw new InvalidDocumentException("not JSON: " + problem);
            });
    checkHeader(
        node.path("format").asText(""),
        node.path("version").isInt() ? node.get("version").asInt() : -1);
    SessionDocument doc;
    try {
      doc = Json.MAPPER.treeToValue(node, SessionDocument.class);
    } catch (Exception e) {
      throw new InvalidDocumentException(
          "not a session document: " + firstLine(ErrorMessages.of(e)));
    }
    validate(doc);
    return doc;
  }

  /**
   * Checks what import relies on; throws {@link InvalidDocumentException} naming the first problem
   * found.
   */
  public static void validate(SessionDocument doc) {
    checkHeader(doc.format() == null ? "" : doc.format(), doc.version());
    if (doc.session() == null) throw new InvalidDocumentException("session is required");
    checkedName(doc.session());
    checkUsage(doc.session());
    if (doc.messages().size() > MAX_MESSAGES) {
      throw new InvalidDocumentException(
          "too many messages: " + doc.messages().size() + " (at most " + MAX_MESSAGES + ")");
    }
    if (doc.events().size() > MAX_EVENTS) {
      throw new InvalidDocumentException(
          "too many events: " + doc.events().size() + " (at most " + MAX_EVENTS + ")");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < doc.messages().size(); i++) {
      Message m = doc.messages().get(i);
      if (m == null) throw new InvalidDocumentException("messages[" + i + "] is null");
      checkMessageId(m.id(), "messages[" + i + "].id");
      if (!ids.add(m.id()))
        throw new InvalidDocumentException("messages[" + i + "].id " + m.id() + " appears twice");
      for (int j = 0; j < m.content().size(); j++)
        checkContent(m.content().get(j), "messages[" + i + "].content[" + j + "]");
    }
    long lastSeq = 0;
    for (int i = 0; i < doc.events().size(); i++) {
      SessionDocument.EventEntry e = doc.events().get(i);
      String where = "events[" + i + "]";
      if (e == null) throw new InvalidDocumentException(where + " is null");
      if (e.seq() <= lastSeq)
        throw new InvalidDocumentException(where + ".seq must be above " + lastSeq);
      lastSeq = e.seq();
      if (e.turnId() == null || e.turnId().isBlank())
        throw new InvalidDocumentException(where + ".turn_id is required");
      decode(e, where);
    }
  }

  /** The session's name as every face takes one ({@link SessionNameRule}): trimmed, checked. */
  private static String checkedName(SessionDocument.SessionInfo session) {
    if (session.name() == null) throw new InvalidDocumentException("session.name is required");
    try {
      return SessionNameRule.check(session.name());
    } catch (IllegalArgumentException e) {
      throw new InvalidDocumentException("session.name " + e.getMessage());
    }
  }

  private static void checkUsage(SessionDocument.SessionInfo session) {
    for (var usage : List.of(session.lastUsage(), session.totalUsage())) {
      usage.ifPresent(
          u -> {
            if (u.inputTokens() < 0
                || u.outputTokens() < 0
                || u.cacheReadInputTokens() < 0
                || u.cacheCreationInputTokens() < 0)
              throw new InvalidDocumentException("session usage must not be negative");
          });
    }
    session
        .totalCostUsd()
        .ifPresent(
            cost -> {
              if (!(cost >= 0) || Double.isInfinite(cost))
                throw new InvalidDocumentException(
                    "session.total_cost_usd must be a finite number, not negative");
            });
  }

  /**
   * A message id pages a session's messages ({@code ?after=}, at most {@link #MAX_MESSAGE_ID}
   * characters): an empty one made the next page the first again, forever.
   */
  private static void checkMessageId(String id, String where) {
    if (id == null || id.isBlank() || id.length() > MAX_MESSAGE_ID)
      throw new InvalidDocumentException(where + " must be 1-" + MAX_MESSAGE_ID + " characters");
    if (id.chars().anyMatch(Character::isISOControl))
      throw new InvalidDocumentException(where + " contains control characters");
  }

  private static void checkContent(Content c, String where) {
    switch (c) {
      case null -> throw new InvalidDocumentException(where + " is null");
      case Content.Image image -> {
        if (!Content.Image.isBase64(image.data()))
          throw new InvalidDocumentException(where + ".data is not valid base64");
      }
      case Content.ToolResponse response -> {
        for (int k = 0; k < response.content().size(); k++)
          checkContent(response.content().get(k), where + ".content[" + k + "]");
      }
      default -> {}
    }
  }

  /**
   * Creates a new session of {@code owner} in {@code workingDir} from a checked document and
   * returns it, in one store transaction ({@link SessionStore#createWithContent}): the session is
   * invisible (not listed, takes no turn) until it is whole, and a failure part way or a crash
   * leaves nothing behind. The session always gets a new id: importing the same document twice (a
   * client retrying after a dropped connection, say) makes two sessions.
   */
  public static Session importAs(
      SessionStore store, String owner, Path workingDir, SessionDocument doc) {
    validate(doc);
    List<SessionContent.Event> events = new ArrayList<>(doc.events().size());
    for (int i = 0; i < doc.events().size(); i++) {
      SessionDocument.EventEntry e = doc.events().get(i);
      events.add(new SessionContent.Event(e.turnId(), decode(e, "events[" + i + "]")));
    }
    SessionDocument.SessionInfo info = doc.session();
    TokenUsage last = info.lastUsage().orElse(TokenUsage.ZERO);
    TokenUsage total = info.totalUsage().orElse(last);
    return store.createWithContent(
        new NewSession(owner, checkedName(info), workingDir),
        new SessionContent(
            doc.messages(), events, last, atLeast(total, last), info.totalCostUsd()));
  }

  /** The total as the store keeps it: never below the last call's usage, counter by counter. */
  private static TokenUsage atLeast(TokenUsage total, TokenUsage last) {
    return new TokenUsage(
        Math.max(total.inputTokens(), last.inputTokens()),
        Math.max(total.outputTokens(), last.outputTokens()),
        Math.max(total.cacheReadInputTokens(), last.cacheReadInputTokens()),
        Math.max(total.cacheCreationInputTokens(), last.cacheCreationInputTokens()));
  }

  private static TurnEvent decode(SessionDocument.EventEntry e, String where) {
    if (e.name() == null || e.data() == null)
      throw new InvalidDocumentException(where + " needs name and data");
    try {
      return EventCodec.fromJson(e.name(), e.data());
    } catch (RuntimeException bad) {
      throw new InvalidDocumentException(
          where + " is not a valid '" + e.name() + "' event: " + firstLine(ErrorMessages.of(bad)));
    }
  }

  private static void checkHeader(String format, int version) {
    if (!SessionDocument.FORMAT.equals(format)) {
      throw new InvalidDocumentException("format must be \"" + SessionDocument.FORMAT + "\"");
    }
    if (version != SessionDocument.VERSION) {
      throw new InvalidDocumentException(
          "unsupported version "
              + version
              + " (this goosed reads version "
              + SessionDocument.VERSION
              + ")");
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "unknown problem";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
