package goose.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.ids.Ids;
import goose.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link SessionStore} must have. A store for a new database extends this class
 * and says how to open a store on a fresh, empty database; it ships in goose-core's test jar.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SessionStoreContract {

  /**
   * One empty database for one test. {@link #open()} may be called again after the store is closed.
   */
  @FunctionalInterface
  protected interface Database {
    SessionStore open();
  }

  /** A new, empty database. */
  protected abstract Database newDatabase() throws Exception;

  protected static final String ALICE = "alice";
  protected static final String BOB = "bob";
  private static final Path DIR = Path.of("/tmp/project");

  protected Database database;
  protected SessionStore store;

  @BeforeEach
  void openStore() throws Exception {
    database = newDatabase();
    store = database.open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  protected Session create(String owner, String name) {
    return store.create(new NewSession(owner, name, DIR));
  }

  // --- create / get ------------------------------------------------------------------------------

  @Test
  void countsTheSessionsOfAllUsers() {
    assertThat(store.countSessions()).hasValue(0);
    create(ALICE, "one");
    Session two = create(ALICE, "two");
    create(BOB, "three");
    assertThat(store.countSessions()).hasValue(3);
    store.delete(ALICE, two.id());
    assertThat(store.countSessions()).hasValue(2);
  }

  @Test
  void aSessionKeepsItsOwnProviderAndModel() {
    Session s = create(ALICE, "mine");
    assertThat(s.provider()).isEmpty();
    assertThat(s.model()).isEmpty();
    Session chosen =
        store.setModel(ALICE, s.id(), Optional.of("openai"), Optional.of("gpt-4o")).orElseThrow();
    assertThat(chosen.provider()).contains("openai");
    assertThat(chosen.model()).contains("gpt-4o");
    assertThat(store.get(ALICE, s.id()).orElseThrow().model()).contains("gpt-4o");
    assertThat(store.setModel(BOB, s.id(), Optional.empty(), Optional.empty())).isEmpty();
    assertThat(store.get(ALICE, s.id()).orElseThrow().provider()).contains("openai");
    Session reset = store.setModel(ALICE, s.id(), Optional.empty(), Optional.empty()).orElseThrow();
    assertThat(reset.provider()).isEmpty();
    assertThat(reset.model()).isEmpty();
  }

  @Test
  void createdSessionHasAnIdTimesAndZeroCounters() {
    Instant before = Instant.now();
    Session s = store.create(new NewSession(ALICE, "My Session", Path.of("/work/repo")));
    assertThat(Ids.isWellFormed(s.id())).isTrue();
    assertThat(s.owner()).isEqualTo(ALICE);
    assertThat(s.name()).isEqualTo("My Session");
    assertThat(s.workingDir()).isEqualTo(Path.of("/work/repo"));
    assertThat(s.createdAt()).isEqualTo(s.updatedAt()).isAfterOrEqualTo(before);
    assertThat(s.messageCount()).isZero();
    assertThat(s.lastUsage()).isEqualTo(TokenUsage.ZERO);
    assertThat(s.totalUsage()).isEqualTo(TokenUsage.ZERO);
    assertThat(store.get(ALICE, s.id())).contains(s);
  }

  @Test
  void unknownOrMalformedIdsAreMissing() {
    assertThat(store.get(ALICE, Ids.newId())).isEmpty();
    assertThat(store.get(ALICE, "not-an-id' OR 1=1 --")).isEmpty();
  }

  // --- list
  // ----------------------------------------------------------------------------------------

  @Test
  void listIsNewestFirstAndCountsPages() {
    Session a = create(ALICE, "a");
    Session b = create(ALICE, "b");
    Session c = create(ALICE, "c");
    store.appendMessage(a.id(), Message.user("bump a to the top"));
    Page<Session> page =
        store.list(ALICE, new SessionQuery(10, Optional.empty(), Optional.empty()));
    assertThat(page.items()).extracting(Session::id).containsExactly(a.id(), c.id(), b.id());
    assertThat(page.items().getFirst().messageCount()).isEqualTo(1);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void cursorPagingVisitsEverySessionOnceInOrder() {
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 23; i++) created.add(create(ALICE, "s" + i).id());
    create(BOB, "not alice's");
    List<Session> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      Page<Session> page = store.list(ALICE, new SessionQuery(5, cursor, Optional.empty()));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(5);
      seen.addAll(page.items());
      cursor = page.nextCursor();
      pages++;
    } while (cursor.isPresent() && pages < 10);
    assertThat(pages).isEqualTo(5);
    assertThat(seen)
        .extracting(Session::id)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(created);
    for (int i = 1; i < seen.size(); i++) {
      Session newer = seen.get(i - 1);
      Session older = seen.get(i);
      boolean ordered =
          newer.updatedAt().isAfter(older.updatedAt())
              || (newer.updatedAt().equals(older.updatedAt())
                  && newer.id().compareTo(older.id()) > 0);
      assertThat(ordered).as("page order at %d", i).isTrue();
    }
  }

  @Test
  void exactlyFullLastPageHasNoNextCursor() {
    for (int i = 0; i < 4; i++) create(ALICE, "s" + i);
    Page<Session> first =
        store.list(ALICE, new SessionQuery(2, Optional.empty(), Optional.empty()));
    Page<Session> second =
        store.list(ALICE, new SessionQuery(2, first.nextCursor(), Optional.empty()));
    assertThat(second.items()).hasSize(2);
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void nameFilterIsCaseInsensitiveSubstringWithLiteralWildcards() {
    Session deploy = create(ALICE, "Deploy the API");
    Session redeploy = create(ALICE, "REDEPLOY later");
    create(ALICE, "Write docs");
    Session percent = create(ALICE, "100% done_now");
    Session unicode = create(ALICE, "Über Änderungen");
    create(BOB, "deploy for bob");
    assertThat(names("deploy")).containsExactlyInAnyOrder(deploy.name(), redeploy.name());
    assertThat(names("%")).containsExactly(percent.name());
    assertThat(names("_")).containsExactly(percent.name());
    assertThat(names("über")).containsExactly(unicode.name());
    assertThat(names("nothing like it")).isEmpty();
    assertThat(names("")).hasSize(5);
  }

  private List<String> names(String filter) {
    return store
        .list(ALICE, new SessionQuery(50, Optional.empty(), Optional.of(filter)))
        .items()
        .stream()
        .map(Session::name)
        .toList();
  }

  @Test
  void filterAndCursorCombine() {
    for (int i = 0; i < 7; i++) create(ALICE, "match " + i);
    for (int i = 0; i < 7; i++) create(ALICE, "other " + i);
    Page<Session> first =
        store.list(ALICE, new SessionQuery(4, Optional.empty(), Optional.of("MATCH")));
    Page<Session> second =
        store.list(ALICE, new SessionQuery(4, first.nextCursor(), Optional.of("MATCH")));
    assertThat(first.items()).hasSize(4);
    assertThat(second.items()).hasSize(3);
    assertThat(second.nextCursor()).isEmpty();
    assertThat(second.items()).extracting(Session::name).allMatch(n -> n.startsWith("match"));
  }

  @Test
  void limitIsBoundedAndTheMaximumWorks() {
    assertThatThrownBy(() -> new SessionQuery(0, Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new SessionQuery(SessionQuery.MAX_LIMIT + 1, Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    create(ALICE, "one");
    assertThat(
            store
                .list(
                    ALICE,
                    new SessionQuery(SessionQuery.MAX_LIMIT, Optional.empty(), Optional.empty()))
                .items())
        .hasSize(1);
  }

  @Test
  void aCursorWeDidNotMakeIsRejected() {
    for (String bad : List.of("garbage!", "djE6MTp4", "", "bm90IGEgY3Vyc29y")) {
      assertThatThrownBy(
              () -> store.list(ALICE, new SessionQuery(5, Optional.of(bad), Optional.empty())))
          .as(bad)
          .isInstanceOf(InvalidCursorException.class);
    }
  }

  // --- owners, rename, delete
  // --------------------------------------------------------------------------

  @Test
  void anotherOwnersSessionBehavesAsMissing() {
    Session mine = create(ALICE, "private");
    assertThat(store.get(BOB, mine.id())).isEmpty();
    assertThat(store.list(BOB, new SessionQuery(50, Optional.empty(), Optional.empty())).items())
        .isEmpty();
    assertThat(store.rename(BOB, mine.id(), "stolen")).isEmpty();
    assertThat(store.delete(BOB, mine.id())).isFalse();
    assertThat(store.get(ALICE, mine.id())).get().extracting(Session::name).isEqualTo("private");
  }

  @Test
  void renameChangesTheNameAndTouchesTheSession() {
    Session s = create(ALICE, "old");
    Session renamed = store.rename(ALICE, s.id(), "new name").orElseThrow();
    assertThat(renamed.name()).isEqualTo("new name");
    assertThat(renamed.updatedAt()).isAfterOrEqualTo(s.updatedAt());
    assertThat(renamed.createdAt()).isEqualTo(s.createdAt());
    assertThat(store.get(ALICE, s.id())).contains(renamed);
    assertThat(names("NEW")).containsExactly("new name");
    assertThat(store.rename(ALICE, Ids.newId(), "x")).isEmpty();
  }

  @Test
  void deleteRemovesMessagesEventsAndTurns() {
    Session s = create(ALICE, "doomed");
    Session kept = create(ALICE, "kept");
    store.appendMessage(s.id(), Message.user("hi"));
    store.appendEvent(s.id(), "t1", new TurnEvent.Error("x", "y"));
    store.startTurn(s.id(), "t1", Optional.of("req-1"), 1);
    store.finishTurn(s.id(), "t1", TurnStatus.COMPLETED);
    store.appendMessage(kept.id(), Message.user("stay"));

    assertThat(store.delete(ALICE, s.id())).isTrue();
    assertThat(store.get(ALICE, s.id())).isEmpty();
    assertThat(store.conversation(s.id())).isEmpty();
    assertThat(store.eventsAfter(s.id(), 0, 100)).isEmpty();
    assertThat(store.lastEventSeq(s.id())).isZero();
    assertThat(store.turnByRequestId(s.id(), "req-1")).isEmpty();
    assertThat(store.runningTurns()).isEmpty();
    assertThat(store.delete(ALICE, s.id())).isFalse();
    assertThat(store.conversation(kept.id())).hasSize(1);
  }

  @Test
  void aSessionWithARunningTurnIsNotDeletedInTheSameStatement() {
    // A check for a running turn and then a delete let a turn that started in between lose its
    // session under it (its start then failed with a 500); the store's delete checks as it deletes.
    Session s = create(ALICE, "busy");
    store.startTurn(s.id(), "t1", Optional.empty(), 1);
    assertThat(store.delete(ALICE, s.id())).isFalse();
    assertThat(store.get(ALICE, s.id())).isPresent();
    assertThat(store.runningTurn(s.id())).isPresent();
    store.finishTurn(s.id(), "t1", TurnStatus.CANCELLED);
    assertThat(store.delete(ALICE, s.id())).isTrue();
  }

  // --- messages
  // ------------------------------------------------------------------------------------

  /** A message with every kind of content part and every field set. */
  protected static Message richMessage() {
    ObjectNode args =
        (ObjectNode)
            Json.parse("{\"path\":\"/tmp/a b\",\"opts\":{\"depth\":2,\"flags\":[true,null,1.5]}}");
    List<Content> parts =
        List.of(
            new Content.Text("Here — ünïcode ✓ and \"quotes\""),
            new Content.Image("iVBORw0KGgo=", "image/png"),
            new Content.ToolRequest("call_1", "developer__shell", args),
            new Content.ToolResponse(
                "call_1",
                List.of(new Content.Text("ok"), new Content.Image("R0lG", "image/gif")),
                true),
            new Content.Thinking("hmm", "sig-abc"),
            new Content.RedactedThinking("opaque"));
    return new Message(
        Ids.newId(),
        Role.ASSISTANT,
        Instant.parse("2026-01-02T03:04:05.123456789Z"),
        parts,
        false,
        true,
        true,
        new TokenUsage(321, 54, 200, 21));
  }

  @Test
  void messagesKeepEveryFieldAndTheirOrder() {
    Session s = create(ALICE, "chat");
    Message first = Message.user("first");
    Message rich = richMessage();
    Message third = Message.assistant(List.of(new Content.Text("third")), new TokenUsage(1, 2));
    store.appendMessage(s.id(), first);
    store.appendMessage(s.id(), rich);
    store.appendMessage(s.id(), third);

    assertThat(store.conversation(s.id())).containsExactly(first, rich, third);
    Session after = store.get(ALICE, s.id()).orElseThrow();
    assertThat(after.messageCount()).isEqualTo(3);
    assertThat(after.updatedAt()).isAfterOrEqualTo(s.updatedAt());
  }

  @Test
  void messagesPageAfterAnId() {
    Session s = create(ALICE, "long");
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Message m = Message.user("m" + i);
      all.add(m);
      store.appendMessage(s.id(), m);
    }
    assertThat(store.messages(s.id(), Optional.empty(), 4))
        .containsExactlyElementsOf(all.subList(0, 4));
    assertThat(store.messages(s.id(), Optional.of(all.get(3).id()), 4))
        .containsExactlyElementsOf(all.subList(4, 8));
    assertThat(store.messages(s.id(), Optional.of(all.get(7).id()), 4))
        .containsExactlyElementsOf(all.subList(8, 10));
    assertThat(store.messages(s.id(), Optional.of(all.get(9).id()), 4)).isEmpty();
    assertThatThrownBy(() -> store.messages(s.id(), Optional.of(Ids.newId()), 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.messages(s.id(), Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void updateMessageReplacesItInPlace() {
    Session s = create(ALICE, "compacted");
    Message a = Message.user("a");
    Message b = Message.assistant(List.of(new Content.Text("partial")), TokenUsage.ZERO);
    Message c = Message.user("c");
    store.appendMessage(s.id(), a);
    store.appendMessage(s.id(), b);
    store.appendMessage(s.id(), c);
    Message hidden = a.withVisibility(true, false);
    Message interrupted = b.asInterrupted();
    store.updateMessage(s.id(), hidden);
    store.updateMessage(s.id(), interrupted);
    assertThat(store.conversation(s.id())).containsExactly(hidden, interrupted, c);
    assertThat(store.get(ALICE, s.id()).orElseThrow().messageCount()).isEqualTo(3);
    assertThatThrownBy(() -> store.updateMessage(s.id(), Message.user("never stored")))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void writesToAMissingSessionFailAndReadsAreEmpty() {
    String missing = Ids.newId();
    assertThatThrownBy(() -> store.appendMessage(missing, Message.user("x")))
        .isInstanceOf(SessionNotFoundException.class);
    assertThatThrownBy(() -> store.appendEvent(missing, "t", new TurnEvent.Error("a", "b")))
        .isInstanceOf(SessionNotFoundException.class);
    assertThatThrownBy(() -> store.addUsage(missing, new TokenUsage(1, 1)))
        .isInstanceOf(SessionNotFoundException.class);
    assertThatThrownBy(() -> store.startTurn(missing, Ids.newId(), Optional.empty(), 1))
        .isInstanceOf(SessionNotFoundException.class);
    assertThat(store.conversation(missing)).isEmpty();
    assertThat(store.messages(missing, Optional.empty(), 10)).isEmpty();
    assertThat(store.eventsAfter(missing, 0, 10)).isEmpty();
    assertThat(store.lastEventSeq(missing)).isZero();
    assertThat(store.runningTurn(missing)).isEmpty();
  }

  @Test
  void aMessageIdIsStoredOncePerSession() {
    Session s = create(ALICE, "dup");
    Message m = Message.user("once");
    store.appendMessage(s.id(), m);
    assertThatThrownBy(() -> store.appendMessage(s.id(), m))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.conversation(s.id())).containsExactly(m);
    assertThat(store.get(ALICE, s.id()).orElseThrow().messageCount()).isEqualTo(1);
  }

  // --- usage
  // ---------------------------------------------------------------------------------------

  @Test
  void usageKeepsTheLastCallAndTheTotal() {
    Session s = create(ALICE, "tokens");
    store.addUsage(s.id(), new TokenUsage(100, 20));
    store.addUsage(s.id(), new TokenUsage(150, 30));
    Session after = store.get(ALICE, s.id()).orElseThrow();
    assertThat(after.lastUsage()).isEqualTo(new TokenUsage(150, 30));
    assertThat(after.totalUsage()).isEqualTo(new TokenUsage(250, 50));
    assertThat(after.totalCostUsd()).isEmpty();
  }

  @Test
  void usageKeepsCacheCountsAndAddsUpTheKnownCosts() {
    Session s = create(ALICE, "cached");
    store.addUsage(s.id(), new TokenUsage(20_000, 100, 0, 19_000), OptionalDouble.of(0.0765));
    store.addUsage(s.id(), new TokenUsage(20_300, 80, 19_000, 1_200));
    store.addUsage(s.id(), new TokenUsage(20_500, 60, 20_200, 0), OptionalDouble.of(0.0073));
    Session after = store.get(ALICE, s.id()).orElseThrow();
    assertThat(after.lastUsage()).isEqualTo(new TokenUsage(20_500, 60, 20_200, 0));
    assertThat(after.totalUsage()).isEqualTo(new TokenUsage(60_800, 240, 39_200, 20_200));
    assertThat(after.totalCostUsd().getAsDouble()).isCloseTo(0.0838, within(1e-12));
  }

  // --- names ------------------------------------------------------------------------------------

  @Test
  void aGeneratedTitleReplacesOnlyADefaultName() {
    Session unnamed = store.create(new NewSession(ALICE, "New session", DIR, NameSource.DEFAULT));
    Session named = create(ALICE, "Mine");
    assertThat(unnamed.nameSource()).isEqualTo(NameSource.DEFAULT);
    assertThat(named.nameSource()).isEqualTo(NameSource.USER);

    assertThat(store.setTitle(named.id(), "Generated")).isFalse();
    assertThat(store.setTitle(unnamed.id(), "Login bug")).isTrue();
    Session titled = store.get(ALICE, unnamed.id()).orElseThrow();
    assertThat(titled.name()).isEqualTo("Login bug");
    assertThat(titled.nameSource()).isEqualTo(NameSource.GENERATED);
    assertThat(store.setTitle(unnamed.id(), "Another")).isFalse(); // titled once
    assertThat(store.get(ALICE, named.id()).orElseThrow().name()).isEqualTo("Mine");
    assertThat(
            store.list(ALICE, new SessionQuery(10, Optional.empty(), Optional.of("login"))).items())
        .extracting(Session::id)
        .containsExactly(unnamed.id());
  }

  @Test
  void aRenameByTheUserWinsOverATitleMadeMeanwhile() {
    Session s = store.create(new NewSession(ALICE, "New session", DIR, NameSource.DEFAULT));
    store.rename(ALICE, s.id(), "Chosen");

    assertThat(store.setTitle(s.id(), "Generated late")).isFalse();
    Session after = store.get(ALICE, s.id()).orElseThrow();
    assertThat(after.name()).isEqualTo("Chosen");
    assertThat(after.nameSource()).isEqualTo(NameSource.USER);
  }

  // --- events
  // --------------------------------------------------------------------------------------

  @Test
  void eventsGetConsecutiveNumbersPerSessionAndReadBackEqual() {
    Session s = create(ALICE, "events");
    Session other = create(ALICE, "other");
    List<TurnEvent> sent =
        List.of(
            new TurnEvent.MessageChunk("text", "Hel", "m1"),
            new TurnEvent.MessageChunk("thinking", "hmm", "m1"),
            new TurnEvent.ToolCall(
                "c1", "shell", (ObjectNode) Json.parse("{\"cmd\":\"ls\"}"), "running"),
            new TurnEvent.ToolResult(
                "c1", "shell", "success", Json.parse("[{\"type\":\"text\",\"text\":\"a\"}]")),
            new TurnEvent.Notification("developer", "log", Json.parse("{\"level\":\"info\"}")),
            new TurnEvent.ToolApprovalRequired(
                "c2", "shell", (ObjectNode) Json.parse("{\"cmd\":\"rm\"}")),
            new TurnEvent.Error("provider_error", "boom"),
            new TurnEvent.MessageComplete("error", new TokenUsage(5, 6)));
    List<StoredEvent> stored = new ArrayList<>();
    for (TurnEvent e : sent) stored.add(store.appendEvent(s.id(), "turn-1", e));
    assertThat(stored).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(store.appendEvent(other.id(), "turn-9", sent.getFirst()).seq()).isEqualTo(1);

    assertThat(store.eventsAfter(s.id(), 0, 100)).containsExactlyElementsOf(stored);
    assertThat(store.eventsAfter(s.id(), 5, 100)).containsExactlyElementsOf(stored.subList(5, 8));
    assertThat(store.eventsAfter(s.id(), 2, 3)).containsExactlyElementsOf(stored.subList(2, 5));
    assertThat(store.eventsAfter(s.id(), 8, 100)).isEmpty();
    assertThat(store.lastEventSeq(s.id())).isEqualTo(8);
    assertThat(store.lastEventSeq(other.id())).isEqualTo(1);
    assertThat(store.eventsAfter(s.id(), 0, 100))
        .extracting(StoredEvent::event)
        .containsExactlyElementsOf(sent);
  }

  @Test
  void turnErrorsAreTheLastOnesOfTheSessionOldestFirst() {
    Session s = create(ALICE, "failing");
    Session other = create(ALICE, "other");
    assertThat(store.turnErrors(s.id(), 10)).isEmpty();
    List<StoredEvent> errors = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      store.appendEvent(s.id(), "turn-" + i, new TurnEvent.MessageChunk("text", "x", "m" + i));
      errors.add(
          store.appendEvent(
              s.id(), "turn-" + i, new TurnEvent.Error("provider_error", "boom " + i)));
      store.appendEvent(
          s.id(), "turn-" + i, new TurnEvent.MessageComplete("error", new TokenUsage(0, 0)));
    }
    store.appendEvent(other.id(), "turn-9", new TurnEvent.Error("internal", "elsewhere"));

    assertThat(store.turnErrors(s.id(), 10)).containsExactlyElementsOf(errors);
    assertThat(store.turnErrors(s.id(), 2)).containsExactlyElementsOf(errors.subList(1, 3));
    assertThat(store.turnErrors(other.id(), 10))
        .extracting(e -> ((TurnEvent.Error) e.event()).message())
        .containsExactly("elsewhere");
  }

  // --- created with its content (an import) ---------------------------------------------------

  private static SessionContent content(List<Message> messages, int events) {
    List<SessionContent.Event> log = new ArrayList<>();
    for (int i = 0; i < events; i++)
      log.add(new SessionContent.Event("t" + i / 10, new TurnEvent.Error("e", "event " + i)));
    return new SessionContent(
        messages,
        log,
        new TokenUsage(3, 4, 1, 0),
        new TokenUsage(30, 40, 10, 5),
        OptionalDouble.of(0.25));
  }

  private static List<Message> messages(int n) {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < n; i++)
      messages.add(
          i % 2 == 0
              ? Message.user("question " + i)
              : Message.assistant(List.of(new Content.Text("answer " + i)), new TokenUsage(i, 1)));
    return messages;
  }

  @Test
  void aSessionCreatedWithItsContentIsWholeAndNumberedFromOne() {
    List<Message> messages = messages(1201); // more than one insert batch
    Session s =
        store.createWithContent(new NewSession(ALICE, "imported", DIR), content(messages, 1203));

    assertThat(store.get(ALICE, s.id())).contains(s);
    assertThat(s.name()).isEqualTo("imported");
    assertThat(s.messageCount()).isEqualTo(1201);
    assertThat(s.lastUsage()).isEqualTo(new TokenUsage(3, 4, 1, 0));
    assertThat(s.totalUsage()).isEqualTo(new TokenUsage(30, 40, 10, 5));
    assertThat(s.totalCostUsd()).hasValue(0.25);
    assertThat(store.conversation(s.id())).containsExactlyElementsOf(messages);
    assertThat(store.lastEventSeq(s.id())).isEqualTo(1203);
    List<StoredEvent> events = store.eventsAfter(s.id(), 1200, 10);
    assertThat(events).extracting(StoredEvent::seq).containsExactly(1201L, 1202L, 1203L);
    assertThat(events.getLast().turnId()).isEqualTo("t120");
    assertThat(events.getLast().event()).isEqualTo(new TurnEvent.Error("e", "event 1202"));
    // and it goes on like any session
    Message next = Message.user("after the import");
    store.appendMessage(s.id(), next);
    assertThat(store.messages(s.id(), Optional.of(messages.getLast().id()), 5))
        .containsExactly(next);
    assertThat(store.appendEvent(s.id(), "t", new TurnEvent.Error("n", "m")).seq()).isEqualTo(1204);
  }

  @Test
  void aContentTheStoreCannotKeepLeavesNoSessionBehind() {
    List<Message> messages = new ArrayList<>(messages(700));
    // only the store finds this one out: its times end in 2262
    Message last = Message.user("from the far future");
    messages.add(
        new Message(
            last.id(),
            last.role(),
            Instant.parse("3000-01-01T00:00:00Z"),
            last.content(),
            true,
            true,
            false,
            TokenUsage.ZERO));

    assertThatThrownBy(
            () ->
                store.createWithContent(new NewSession(ALICE, "half", DIR), content(messages, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("storable range");

    assertThat(store.list(ALICE, new SessionQuery(10, Optional.empty(), Optional.empty())).items())
        .isEmpty();
    assertThat(store.countSessions()).hasValue(0);
  }

  @Test
  void aSessionBeingCreatedWithItsContentIsNotSeenUntilItIsComplete() throws Exception {
    java.util.concurrent.CountDownLatch halfWay = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
    List<Message> whole = messages(600);
    // The store reads the messages as it writes them: the import stops half way, inside its
    // transaction, until the test has looked.
    List<Message> stalling =
        new java.util.AbstractList<>() {
          @Override
          public Message get(int i) {
            if (i == 300) {
              halfWay.countDown();
              try {
                if (!goOn.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("stuck");
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            }
            return whole.get(i);
          }

          @Override
          public int size() {
            return whole.size();
          }
        };
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Session> importing =
          pool.submit(
              () ->
                  store.createWithContent(
                      new NewSession(ALICE, "arriving", DIR), content(stalling, 5)));
      assertThat(halfWay.await(60, TimeUnit.SECONDS)).isTrue();
      try {
        assertThat(
                store.list(ALICE, new SessionQuery(10, Optional.empty(), Optional.empty())).items())
            .as("listed half way")
            .isEmpty();
        assertThat(store.countSessions()).hasValue(0);
      } finally {
        goOn.countDown();
      }
      Session s = importing.get(60, TimeUnit.SECONDS);
      assertThat(
              store.list(ALICE, new SessionQuery(10, Optional.empty(), Optional.empty())).items())
          .containsExactly(s);
      assertThat(store.conversation(s.id())).hasSize(600);
    }
  }

  // --- turns
  // ---------------------------------------------------------------------------------------

  @Test
  void oneRunningTurnPerSession() {
    Session s = create(ALICE, "turns");
    Session other = create(ALICE, "parallel");
    Turn t1 = store.startTurn(s.id(), "t1", Optional.empty(), 7);
    assertThat(t1.status()).isEqualTo(TurnStatus.RUNNING);
    assertThat(t1.firstSeq()).isEqualTo(7);
    assertThat(store.runningTurn(s.id())).contains(t1);

    assertThatThrownBy(() -> store.startTurn(s.id(), "t2", Optional.empty(), 7))
        .isInstanceOfSatisfying(
            TurnConflictException.class, e -> assertThat(e.runningTurnId()).isEqualTo("t1"));
    Turn elsewhere = store.startTurn(other.id(), "t3", Optional.empty(), 1);
    assertThat(store.runningTurns()).containsExactlyInAnyOrder(t1, elsewhere);

    store.finishTurn(s.id(), "t1", TurnStatus.COMPLETED);
    assertThat(store.runningTurn(s.id())).isEmpty();
    assertThat(store.runningTurns()).containsExactly(elsewhere);
    Turn t2 = store.startTurn(s.id(), "t2", Optional.empty(), 9);
    assertThat(store.runningTurn(s.id())).contains(t2);
  }

  @Test
  void requestIdsFindTheirTurnAndAreUsedOnce() {
    Session s = create(ALICE, "idempotent");
    Turn t1 = store.startTurn(s.id(), "t1", Optional.of("req-A"), 1);
    assertThat(store.turnByRequestId(s.id(), "req-A")).contains(t1);
    assertThat(store.turnByRequestId(s.id(), "req-B")).isEmpty();
    store.finishTurn(s.id(), "t1", TurnStatus.CANCELLED);
    assertThat(store.turnByRequestId(s.id(), "req-A"))
        .get()
        .extracting(Turn::status)
        .isEqualTo(TurnStatus.CANCELLED);

    assertThatThrownBy(() -> store.startTurn(s.id(), "t2", Optional.of("req-A"), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("req-A");
    Session other = create(ALICE, "same request id elsewhere");
    assertThat(store.startTurn(other.id(), "t3", Optional.of("req-A"), 1).requestId())
        .contains("req-A");
  }

  @Test
  void finishingKeepsTheFirstFinalStatus() {
    Session s = create(ALICE, "finish");
    store.startTurn(s.id(), "t1", Optional.of("r"), 1);
    store.finishTurn(s.id(), "t1", TurnStatus.INTERRUPTED);
    store.finishTurn(s.id(), "t1", TurnStatus.COMPLETED);
    assertThat(store.turnByRequestId(s.id(), "r"))
        .get()
        .extracting(Turn::status)
        .isEqualTo(TurnStatus.INTERRUPTED);
    assertThatThrownBy(() -> store.finishTurn(s.id(), "nope", TurnStatus.COMPLETED))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> store.finishTurn(s.id(), "t1", TurnStatus.RUNNING))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTurnsEndAndLastEventAreOneWriteAndTheNextTurnBeginsAfterThem() {
    Session s = create(ALICE, "ends");
    assertThat(store.startTurn(s.id(), "t1", Optional.empty(), 1).firstSeq()).isEqualTo(1);
    store.appendEvent(s.id(), "t1", new TurnEvent.MessageChunk("text", "hi", "m1"));
    StoredEvent end =
        store
            .finishTurn(
                s.id(),
                "t1",
                TurnStatus.COMPLETED,
                new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO),
                Optional.empty())
            .orElseThrow();
    assertThat(end.seq()).isEqualTo(2);
    assertThat(store.runningTurn(s.id())).isEmpty();
    // A start's first event is read from the log in its own write, whatever the caller guessed.
    assertThat(store.startTurn(s.id(), "t2", Optional.empty(), 1).firstSeq()).isEqualTo(3);
    // Ending a turn that has ended already appends nothing and keeps its status.
    assertThat(
            store.finishTurn(
                s.id(),
                "t1",
                TurnStatus.INTERRUPTED,
                new TurnEvent.MessageComplete("error", TokenUsage.ZERO),
                Optional.empty()))
        .isEmpty();
    assertThat(store.lastEventSeq(s.id())).isEqualTo(2);
  }

  @Test
  void anOwnerWhoseTurnWasTakenOverCannotEndIt() {
    Session s = create(ALICE, "fenced end");
    java.time.Duration minute = java.time.Duration.ofMinutes(1);
    store.startTurn(s.id(), "t1", Optional.empty(), 1, Optional.of(new TurnLease("a", minute)));
    store.renewLeases("a", List.of("t1"), java.time.Duration.ofSeconds(-1)); // a's lease lapses
    assertThat(store.takeOver("t1", new TurnLease("b", minute))).isTrue();
    TurnEvent end = new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO);

    assertThat(store.finishTurn(s.id(), "t1", TurnStatus.COMPLETED, end, Optional.of("a")))
        .as("a woke from a freeze: the turn is b's")
        .isEmpty();
    assertThat(store.runningTurn(s.id())).isPresent();
    assertThat(store.lastEventSeq(s.id())).isZero();
    assertThat(store.finishTurn(s.id(), "t1", TurnStatus.COMPLETED, end, Optional.of("b")))
        .isPresent();
  }

  @Test
  void startsRacingEndsOnOneSessionNeverDeadlockNorBeginWithTheEnd() throws Exception {
    Session s = create(ALICE, "race");
    TurnEvent end = new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO);
    for (int i = 0; i < 30; i++) {
      String ending = "e" + i;
      String next = "n" + i;
      store.startTurn(s.id(), ending, Optional.empty(), 1);
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<Optional<StoredEvent>> ended =
            pool.submit(
                () -> {
                  go.await();
                  return store.finishTurn(
                      s.id(), ending, TurnStatus.COMPLETED, end, Optional.empty());
                });
        Future<Optional<Turn>> started =
            pool.submit(
                () -> {
                  go.await();
                  try {
                    return Optional.of(store.startTurn(s.id(), next, Optional.empty(), 1));
                  } catch (TurnConflictException stillRunning) {
                    return Optional.empty();
                  }
                });
        go.countDown();
        // A deadlock would surface here as a store error of one of the two.
        long endSeq = ended.get(30, TimeUnit.SECONDS).orElseThrow().seq();
        Optional<Turn> turn = started.get(30, TimeUnit.SECONDS);
        turn.ifPresent(t -> assertThat(t.firstSeq()).isGreaterThan(endSeq));
      }
      store
          .runningTurn(s.id())
          .ifPresent(t -> store.finishTurn(s.id(), t.id(), TurnStatus.COMPLETED));
    }
  }

  @Test
  void anAbandonedTurnIsGoneAndItsRequestIdStartsAnew() {
    Session s = create(ALICE, "abandon");
    store.startTurn(s.id(), "t1", Optional.of("r"), 1);
    store.abandonTurn(s.id(), "t1");
    assertThat(store.turnByRequestId(s.id(), "r")).isEmpty();
    assertThat(store.startTurn(s.id(), "t2", Optional.of("r"), 1).id()).isEqualTo("t2");
    store.abandonTurn(s.id(), "nope"); // nothing to remove: no error
  }

  @Test
  void leasesAreWrittenAndComparedByTheStoresClock() {
    Session s = create(ALICE, "leased");
    store.startTurn(
        s.id(),
        "t1",
        Optional.empty(),
        1,
        Optional.of(new TurnLease("a", java.time.Duration.ofMinutes(1))));
    assertThat(store.expiredTurns()).isEmpty();
    assertThat(store.takeOver("t1", new TurnLease("b", java.time.Duration.ofMinutes(1))))
        .as("a lease that holds is not taken over")
        .isFalse();
    assertThat(store.renewLeases("a", List.of("t1"), java.time.Duration.ofSeconds(-1)))
        .extracting(HeldTurn::turnId)
        .containsExactly("t1");
    assertThat(store.expiredTurns()).extracting(Turn::id).containsExactly("t1");
    assertThat(store.takeOver("t1", new TurnLease("b", java.time.Duration.ofMinutes(1)))).isTrue();
    assertThat(store.expiredTurns()).isEmpty();
    assertThat(store.renewLeases("a", List.of("t1"), java.time.Duration.ofMinutes(1)))
        .as("no longer a's")
        .isEmpty();
    // this JVM and the database run on one host in the tests: their clocks agree
    assertThat(java.time.Duration.between(store.leaseClock(), Instant.now()).abs())
        .isLessThan(java.time.Duration.ofSeconds(1));
  }

  // --- concurrency
  // -----------------------------------------------------------------------------------

  private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) futures.add(pool.submit(task));
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
      return results;
    }
  }

  @Test
  void hundredConcurrentCreatesAreAllKept() throws Exception {
    List<Session> created = concurrently(100, () -> create(ALICE, "concurrent"));
    List<Session> listed =
        store.list(ALICE, new SessionQuery(200, Optional.empty(), Optional.empty())).items();
    assertThat(listed).hasSize(100);
    assertThat(listed)
        .extracting(Session::id)
        .containsExactlyInAnyOrderElementsOf(created.stream().map(Session::id).toList());
  }

  @Test
  void hundredConcurrentEventAppendsGetSequenceNumbersOneToHundred() throws Exception {
    Session s = create(ALICE, "busy");
    List<StoredEvent> stored =
        concurrently(
            100,
            () -> store.appendEvent(s.id(), "t", new TurnEvent.MessageChunk("text", "x", "m")));
    assertThat(stored)
        .extracting(StoredEvent::seq)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
    assertThat(store.eventsAfter(s.id(), 0, 1000)).hasSize(100);
    assertThat(store.lastEventSeq(s.id())).isEqualTo(100);
  }

  @Test
  void concurrentMessageAppendsAreAllKeptAndCounted() throws Exception {
    Session s = create(ALICE, "chatty");
    List<Message> sent =
        concurrently(
            50,
            () -> {
              Message m = Message.user("hello");
              store.appendMessage(s.id(), m);
              return m;
            });
    assertThat(store.conversation(s.id())).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(store.get(ALICE, s.id()).orElseThrow().messageCount()).isEqualTo(50);
  }

  @Test
  void racingTurnStartsLetExactlyOneRun() throws Exception {
    Session s = create(ALICE, "race");
    List<Boolean> started =
        concurrently(
            20,
            () -> {
              try {
                store.startTurn(s.id(), Ids.newId(), Optional.empty(), 1);
                return true;
              } catch (TurnConflictException e) {
                return false;
              }
            });
    assertThat(started).filteredOn(b -> b).hasSize(1);
    assertThat(store.runningTurns()).hasSize(1);
  }

  // --- durability
  // ----------------------------------------------------------------------------------

  @Test
  void everythingSurvivesClosingAndReopening() {
    Session s = create(ALICE, "durable");
    Message m = richMessage();
    store.appendMessage(s.id(), m);
    store.addUsage(s.id(), new TokenUsage(7, 8));
    StoredEvent e =
        store.appendEvent(s.id(), "t1", new TurnEvent.MessageChunk("text", "hi", m.id()));
    Turn t = store.startTurn(s.id(), "t1", Optional.of("req"), 1);
    Session before = store.get(ALICE, s.id()).orElseThrow();
    store.close();

    store = database.open();
    assertThat(store.get(ALICE, s.id())).contains(before);
    assertThat(store.conversation(s.id())).containsExactly(m);
    assertThat(store.eventsAfter(s.id(), 0, 10)).containsExactly(e);
    assertThat(store.runningTurns()).containsExactly(t);
    assertThat(store.appendEvent(s.id(), "t1", new TurnEvent.Error("a", "b")).seq()).isEqualTo(2);
  }
}
