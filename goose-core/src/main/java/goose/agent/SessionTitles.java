package goose.agent;

import goose.conversation.Message;
import goose.conversation.Role;
import goose.event.EventLog;
import goose.event.TurnEvent;
import goose.provider.Provider;
import goose.provider.ProviderEvent;
import goose.provider.ProviderRequest;
import goose.provider.ProviderStream;
import goose.session.NameSource;
import goose.session.Session;
import goose.session.SessionStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Titles a session that was created without a name: after an exchange, a small side request asks
 * the model (the configured one, or {@code GOOSE_TITLE_MODEL}) for a title of four words or fewer;
 * it is written to the store only while the session still has its default name (a name a user gives
 * meanwhile wins) and announced with a {@code session_renamed} event. It runs on its own virtual
 * thread after the turn, so it never delays one; a failure is logged and the next exchange tries
 * again.
 */
public final class SessionTitles {
  private static final Logger log = LoggerFactory.getLogger(SessionTitles.class);

  static final String INSTRUCTIONS =
      """
      You name conversations. Reply with a title of at most four words for the conversation you are \
      shown, and nothing else: no quotes, no punctuation at the end, no explanation. Name what the \
      conversation is about (a project, file, feature, ticket id, product or topic the user \
      mentions) rather than the activity; never invent details that are not there.""";

  static final int MAX_WORDS = 4;
  private static final int MAX_TITLE_CHARS = 80;
  private static final int MAX_MESSAGE_CHARS = 1_500;
  private static final int MAX_USER_MESSAGES = 3;

  /** Enough text for any title: a reply longer than this is cut (and its stream closed). */
  private static final int MAX_REPLY_CHARS = 400;

  private final SessionStore store;
  private final EventLog events;
  private final Function<Session, Provider> provider;

  /**
   * @param provider the model that writes a session's title (throws when none is configured)
   */
  public SessionTitles(SessionStore store, EventLog events, Function<Session, Provider> provider) {
    this.store = store;
    this.events = events;
    this.provider = provider;
  }

  /** Titles {@code session} in the background if it still has its default name. */
  void afterExchange(Session session, String turnId) {
    if (session.nameSource() != NameSource.DEFAULT) return;
    Thread.ofVirtual()
        .name("title-" + session.id())
        .start(
            LogContext.carry(
                () -> {
                  title(session, turnId); // a block: a Runnable, not a Callable of the result
                }));
  }

  /** Makes and stores the title now; false when none was written. */
  boolean title(Session session, String turnId) {
    String sessionId = session.id();
    try {
      Optional<String> prompt = prompt(store.conversation(sessionId));
      if (prompt.isEmpty()) return false;
      Optional<String> title = clean(ask(provider.apply(session), prompt.get()));
      if (title.isEmpty()) {
        log.warn("no title for session {}: the model's answer had no usable words", sessionId);
        return false;
      }
      if (!store.setTitle(sessionId, title.get())) return false;
      events.append(sessionId, turnId, new TurnEvent.SessionRenamed(title.get()));
      log.info("session {} titled \"{}\"", sessionId, title.get());
      return true;
    } catch (RuntimeException e) {
      log.warn("no title for session {}: {}", sessionId, e.getMessage());
      return false;
    }
  }

  /** The first user messages and the first reply, as one message to title; empty before both. */
  static Optional<String> prompt(List<Message> conversation) {
    StringBuilder users = new StringBuilder();
    String reply = "";
    int count = 0;
    for (Message m : conversation) {
      if (!m.userVisible() || m.text().isBlank()) continue;
      if (m.role() == Role.USER && count < MAX_USER_MESSAGES) {
        users.append(cut(m.text())).append("\n\n");
        count++;
      } else if (m.role() == Role.ASSISTANT && reply.isEmpty()) {
        reply = cut(m.text());
      }
    }
    if (count == 0 || reply.isEmpty()) return Optional.empty();
    return Optional.of(
        "Title this conversation.\n\n<user-messages>\n"
            + users.toString().strip()
            + "\n</user-messages>\n\n<first-reply>\n"
            + reply
            + "\n</first-reply>");
  }

  private static String ask(Provider model, String prompt) {
    ProviderRequest request =
        new ProviderRequest(
            INSTRUCTIONS,
            List.of(Message.user(prompt)),
            List.of(),
            model.maxOutputTokens(),
            Optional.empty());
    StringBuilder text = new StringBuilder();
    try (ProviderStream stream = model.stream(request)) {
      while (text.length() < MAX_REPLY_CHARS && stream.hasNext()) {
        if (stream.next() instanceof ProviderEvent.TextDelta d) text.append(d.text());
      }
    }
    return text.toString();
  }

  /**
   * The title in a model's answer: its first non-empty line without quotes, Markdown marks, a
   * "Title:" label or end punctuation, at most {@value #MAX_WORDS} words.
   */
  static Optional<String> clean(String answer) {
    String line =
        answer
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .findFirst()
            .orElse("")
            .replaceAll("^[#>\\-\\s]+", "")
            .replaceAll("\\*\\*|__|`", "")
            .replaceFirst("(?i)^title\\s*:\\s*", "")
            .replaceAll("^[\"'“”‘’*]+|[\"'“”‘’*]+$", "")
            .replaceAll("[.!?:;,]+$", "")
            .replaceAll("^[\"'“”‘’*]+|[\"'“”‘’*]+$", "")
            .strip();
    String[] words = line.split("\\s+");
    String title = String.join(" ", Arrays.copyOf(words, Math.min(words.length, MAX_WORDS)));
    title = title.chars().anyMatch(Character::isISOControl) ? "" : title.strip();
    if (title.length() > MAX_TITLE_CHARS) title = title.substring(0, MAX_TITLE_CHARS).strip();
    return title.isEmpty() ? Optional.empty() : Optional.of(title);
  }

  private static String cut(String text) {
    String t = text.strip();
    return t.length() <= MAX_MESSAGE_CHARS ? t : t.substring(0, MAX_MESSAGE_CHARS) + "…";
  }
}
