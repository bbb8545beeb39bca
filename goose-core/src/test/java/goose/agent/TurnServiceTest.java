package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.config.Config;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.event.EventLog;
import goose.event.EventStore;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.StopReason;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.session.SqliteTemplate;
import goose.session.TurnConflictException;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent loop and turn service against a real SQLite store, with a scripted provider and
 * toolbox.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TurnServiceTest {
  @TempDir Path dir;
  SessionStore store;
  EventLog events;
  Session session;
  ScriptedProvider provider;

  @BeforeEach
  void open() {
    store =
        SessionStores.open(
            SqliteTemplate.placeFor(Config.load(Map.of("GOOSE_PATH_ROOT", dir.toString()), dir)));
    events = new EventLog(store);
    session = store.create(new NewSession("alice", "test", dir));
    provider = new ScriptedProvider();
  }

  @AfterEach
  void close() {
    store.close();
  }

  TurnService service(Toolbox toolbox, AgentOptions options) {
    Agent agent = new Agent(store, toolbox, new SystemPrompt(dir.resolve("config")), options);
    return new TurnService(store, events, agent, () -> provider);
  }

  TurnService service(Toolbox toolbox) {
    return service(toolbox, AgentOptions.DEFAULTS);
  }

  List<TurnEvent> runTurn(TurnService turns, String text) throws InterruptedException {
    TurnService.StartedTurn started =
        turns.start("alice", session.id(), List.of(new Content.Text(text)), Optional.empty());
    return follow(started);
  }

  List<TurnEvent> follow(TurnService.StartedTurn started) throws InterruptedException {
    return AgentRig.follow(events, started);
  }

  static ObjectNode args(String json) {
    return (ObjectNode) Json.parse(json);
  }

  @Test
  void aTurnWhoseEventsTheStoreKeepsRefusingEndsFailedWithWhatItUsed() throws Exception {
    // The store takes everything but the model call's usage event (a disk that fills up then, say):
    // the turn must not go on with a gap in its log, and its end still says what the call cost.
    EventStore refusingChunks =
        new EventStore() {
          @Override
          public StoredEvent appendEvent(String sessionId, String turnId, TurnEvent event) {
            if (event instanceof TurnEvent.ModelUsage)
              throw new IllegalStateException("store: disk full");
            return store.appendEvent(sessionId, turnId, event);
          }

          @Override
          public List<StoredEvent> eventsAfter(String sessionId, long afterSeq, int limit) {
            return store.eventsAfter(sessionId, afterSeq, limit);
          }

          @Override
          public long lastEventSeq(String sessionId) {
            return store.lastEventSeq(sessionId);
          }
        };
    events = new EventLog(refusingChunks);
    provider.reply(
        new ProviderEvent.TextDelta("said"),
        new ProviderEvent.Usage(new TokenUsage(12, 3)),
        new ProviderEvent.Stop(StopReason.END_TURN));
    List<TurnEvent> seen = runTurn(service(Toolbox.NONE), "hi");

    assertThat(seen).noneMatch(TurnEvent.ModelUsage.class::isInstance);
    assertThat(seen.getLast())
        .isEqualTo(new TurnEvent.MessageComplete("error", new TokenUsage(12, 3)));
    assertThat(store.runningTurn(session.id())).isEmpty();
  }

  @Test
  void streamsTextAndStoresEveryWord() throws Exception {
    provider.reply(
        new ProviderEvent.TextDelta("Hel"),
        new ProviderEvent.TextDelta("lo, "),
        new ProviderEvent.TextDelta("wörld"),
        new ProviderEvent.Usage(new TokenUsage(12, 3)),
        new ProviderEvent.Stop(StopReason.END_TURN));
    List<TurnEvent> seen = runTurn(service(Toolbox.NONE), "hi");

    // Chunks arriving faster than they are stored may be merged: the text is what counts.
    String streamed =
        seen.stream()
            .filter(TurnEvent.MessageChunk.class::isInstance)
            .map(e -> ((TurnEvent.MessageChunk) e).text())
            .reduce("", String::concat);
    assertThat(streamed).isEqualTo("Hello, wörld");
    assertThat(seen.getLast())
        .isEqualTo(new TurnEvent.MessageComplete("end_turn", new TokenUsage(12, 3)));
    List<Message> conversation = store.conversation(session.id());
    assertThat(conversation).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT);
    assertThat(conversation.get(1).text()).isEqualTo("Hello, wörld");
    assertThat(store.get("alice", session.id()).orElseThrow().totalUsage())
        .isEqualTo(new TokenUsage(12, 3));
    // The request carries the turn context after the user's words; the store keeps only the words.
    Message sent = provider.requests.getFirst().messages().getFirst();
    assertThat(sent.content()).hasSize(2);
    assertThat(sent.content().getFirst()).isEqualTo(new Content.Text("hi"));
    assertThat(((Content.Text) sent.content().get(1)).text())
        .startsWith("<turn-context>\n<current-time>")
        .contains("<working-directory>" + session.workingDir() + "</working-directory>")
        .endsWith("</turn-context>");
    assertThat(conversation.getFirst().content()).containsExactly(new Content.Text("hi"));
  }

  @Test
  void runsToolCallsAndSendsResultsBack() throws Exception {
    provider
        .reply(
            new ProviderEvent.ToolCall("call_1", "calc__add", args("{\"a\":2,\"b\":3}")),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(
            new ProviderEvent.TextDelta("It is 5."), new ProviderEvent.Stop(StopReason.END_TURN));
    Toolbox calc =
        toolbox(
            (ctx, req) -> {
              int sum = req.arguments().get("a").asInt() + req.arguments().get("b").asInt();
              return new Content.ToolResponse(
                  req.id(), List.of(new Content.Text(String.valueOf(sum))), false);
            });
    List<TurnEvent> seen = runTurn(service(calc), "add 2 and 3");

    assertThat(seen)
        .extracting(TurnEvent::eventName)
        .containsExactly(
            "usage", "tool_call", "tool_result", "message_chunk", "usage", "message_complete");
    assertThat(seen.get(2))
        .isInstanceOfSatisfying(
            TurnEvent.ToolResult.class,
            r -> {
              assertThat(r.status()).isEqualTo("success");
              assertThat(r.result().toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"5\"}]");
            });
    assertThat(provider.requests).hasSize(2);
    assertThat(provider.requests.get(1).tools())
        .extracting(ToolSpec::name)
        .containsExactly("calc__add");
    Message last = provider.requests.get(1).messages().getLast();
    assertThat(last.content())
        .singleElement()
        .isInstanceOfSatisfying(
            Content.ToolResponse.class, r -> assertThat(r.text()).isEqualTo("5"));
    assertThat(store.conversation(session.id()))
        .extracting(Message::role)
        .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
  }

  @Test
  void runsToolCallsOfOneResponseConcurrently() throws Exception {
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    provider
        .reply(
            new ProviderEvent.ToolCall("c1", "calc__wait", args("{}")),
            new ProviderEvent.ToolCall("c2", "calc__wait", args("{}")),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(new ProviderEvent.TextDelta("done"), new ProviderEvent.Stop(StopReason.END_TURN));
    Toolbox waiting =
        toolbox(
            (ctx, req) -> {
              try {
                bothRunning.await(
                    5, TimeUnit.SECONDS); // only passes if the two calls run at the same time
                return new Content.ToolResponse(req.id(), List.of(new Content.Text("ok")), false);
              } catch (Exception e) {
                return Content.ToolResponse.error(req.id(), "not concurrent");
              }
            });
    List<TurnEvent> seen = runTurn(service(waiting), "go");

    assertThat(seen)
        .filteredOn(TurnEvent.ToolResult.class::isInstance)
        .extracting(e -> ((TurnEvent.ToolResult) e).status())
        .containsExactly("success", "success");
  }

  @ParameterizedTest(name = "{0} call(s) in the response")
  @ValueSource(ints = {1, 2})
  void cancelDuringRunningToolCallsInterruptsThemAndTheSessionStaysUsable(int calls)
      throws Exception {
    // One call runs on the turn's own thread, several on threads of their own: both are cancelled.
    List<ProviderEvent> response = new java.util.ArrayList<>();
    for (int i = 0; i < calls; i++)
      response.add(new ProviderEvent.ToolCall("c" + i, "calc__hang", args("{}")));
    response.add(new ProviderEvent.Stop(StopReason.TOOL_USE));
    provider
        .reply(response.toArray(ProviderEvent[]::new))
        .reply(new ProviderEvent.TextDelta("back"), new ProviderEvent.Stop(StopReason.END_TURN));
    CountDownLatch running = new CountDownLatch(calls);
    CountDownLatch interrupted = new CountDownLatch(calls);
    Toolbox hanging =
        toolbox(
            (ctx, req) -> {
              running.countDown();
              try {
                new CountDownLatch(1).await(); // a server that never answers
                return Content.ToolResponse.error(req.id(), "woke without an interrupt");
              } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt(); // as McpConnection leaves it
                return Content.ToolResponse.error(req.id(), "tool call cancelled");
              }
            });
    TurnService turns = service(hanging);
    TurnService.StartedTurn started =
        turns.start("alice", session.id(), List.of(new Content.Text("hang")), Optional.empty());
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(turns.cancel("alice", session.id())).isTrue();
    List<TurnEvent> seen = follow(started);

    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen)
        .filteredOn(TurnEvent.ToolResult.class::isInstance)
        .hasSize(calls)
        .allSatisfy(
            e -> {
              TurnEvent.ToolResult r = (TurnEvent.ToolResult) e;
              assertThat(r.status()).isEqualTo("error");
              assertThat(r.result().toString()).contains(ToolExecutor.INTERRUPTED);
            });
    assertThat(seen.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class,
            c -> assertThat(c.stopReason()).isEqualTo("cancelled"));
    assertThat(store.runningTurn(session.id())).isEmpty();
    // The interrupted results are stored, as the client saw them: no call is left unanswered.
    assertThat(Conversations.danglingToolRequests(store.conversation(session.id()))).isEmpty();

    List<TurnEvent> next = runTurn(turns, "again");
    assertThat(next.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class, c -> assertThat(c.stopReason()).isEqualTo("end_turn"));
    // Providers refuse a tool call without its result: the next request answers each right after
    // it.
    List<Message> sent = provider.requests.getLast().messages();
    int asked = indexOfToolRequests(sent);
    assertThat(sent.get(asked + 1).content())
        .filteredOn(Content.ToolResponse.class::isInstance)
        .map(Content.ToolResponse.class::cast)
        .allSatisfy(r -> assertThat(r.isError()).isTrue())
        .extracting(Content.ToolResponse::id)
        .containsExactlyElementsOf(
            sent.get(asked).toolRequests().stream().map(Content.ToolRequest::id).toList())
        .hasSize(calls);
  }

  private static int indexOfToolRequests(List<Message> messages) {
    for (int i = 0; i < messages.size(); i++)
      if (!messages.get(i).toolRequests().isEmpty()) return i;
    throw new AssertionError("no message with tool calls in " + messages);
  }

  @Test
  void stopsAtMaxTurns() throws Exception {
    for (int i = 0; i < 3; i++)
      provider.reply(
          new ProviderEvent.ToolCall("c" + i, "calc__loop", args("{}")),
          new ProviderEvent.Stop(StopReason.TOOL_USE));
    Toolbox loop =
        toolbox(
            (ctx, req) ->
                new Content.ToolResponse(req.id(), List.of(new Content.Text("again")), false));
    List<TurnEvent> seen = runTurn(service(loop, new AgentOptions(2, 0.8)), "loop");

    assertThat(provider.requests).hasSize(2);
    assertThat(seen.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class,
            c -> assertThat(c.stopReason()).isEqualTo("max_turns"));
  }

  @Test
  void providerFailureEndsWithErrorAndSessionStaysUsable() throws Exception {
    provider
        .fail(new ProviderException(ProviderException.Kind.SERVER, 500, "provider answered 500"))
        .reply(new ProviderEvent.TextDelta("back"), new ProviderEvent.Stop(StopReason.END_TURN));
    TurnService turns = service(Toolbox.NONE);
    List<TurnEvent> failed = runTurn(turns, "one");
    assertThat(failed)
        .containsExactly(
            new TurnEvent.Error("provider_server", "provider answered 500"),
            new TurnEvent.MessageComplete("error", TokenUsage.ZERO));

    List<TurnEvent> ok = runTurn(turns, "two");
    assertThat(ok.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class, c -> assertThat(c.stopReason()).isEqualTo("end_turn"));
  }

  @Test
  void cancelStopsTheTurnClosesTheProviderStreamAndKeepsPartialText() throws Exception {
    provider.blockAfter(new ProviderEvent.TextDelta("partial answer"));
    TurnService turns = service(Toolbox.NONE);
    TurnService.StartedTurn started =
        turns.start("alice", session.id(), List.of(new Content.Text("long")), Optional.empty());
    assertThat(provider.blockedStreamOpened.await(5, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(
            () ->
                turns.start(
                    "alice", session.id(), List.of(new Content.Text("again")), Optional.empty()))
        .isInstanceOf(TurnConflictException.class);
    assertThat(turns.cancel("alice", session.id())).isTrue();
    List<TurnEvent> seen = follow(started);

    assertThat(seen.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class,
            c -> assertThat(c.stopReason()).isEqualTo("cancelled"));
    assertThat(provider.blockedStreamClosed).isTrue();
    Message partial = store.conversation(session.id()).getLast();
    assertThat(partial.text()).isEqualTo("partial answer");
    assertThat(partial.interrupted()).isTrue();
    assertThat(store.runningTurn(session.id())).isEmpty();
  }

  @Test
  void perUserLimitCountsEachOwnersRunningTurnsAndFreesTheSlotWhenATurnEnds() throws Exception {
    provider.blockAfter(new ProviderEvent.TextDelta("partial"));
    Agent agent =
        new Agent(
            store, Toolbox.NONE, new SystemPrompt(dir.resolve("config")), AgentOptions.DEFAULTS);
    TurnService turns =
        new TurnService(
            store,
            events,
            agent,
            ProviderSource.of(() -> provider),
            ToolGates.ALLOW_ALL,
            new TurnLimits(1, 10),
            TurnLeases.none(),
            goose.event.ClusterSignals.IN_PROCESS);
    Session second = store.create(new NewSession("alice", "second", dir));
    Session bobs = store.create(new NewSession("bob", "bob's", dir));
    TurnService.StartedTurn first =
        turns.start("alice", session.id(), List.of(new Content.Text("long")), Optional.empty());
    assertThat(provider.blockedStreamOpened.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(turns.runningCount("alice")).isEqualTo(1);
    assertThat(turns.runningCount("bob")).isZero();

    assertThatThrownBy(
            () ->
                turns.start("alice", second.id(), List.of(new Content.Text("x")), Optional.empty()))
        .isInstanceOf(TurnLimitException.class);
    assertThat(turns.runningCount("alice")).isEqualTo(1);

    provider.reply(new ProviderEvent.TextDelta("hi"), new ProviderEvent.Stop(StopReason.END_TURN));
    follow(turns.start("bob", bobs.id(), List.of(new Content.Text("q")), Optional.empty()));
    assertThat(turns.runningCount("bob")).isZero();

    assertThat(turns.cancel("alice", session.id())).isTrue();
    follow(first);
    // the turn leaves the running set before its message_complete is written
    assertThat(turns.runningCount("alice")).isZero();
    provider.reply(new ProviderEvent.TextDelta("ok"), new ProviderEvent.Stop(StopReason.END_TURN));
    assertThat(
            follow(
                    turns.start(
                        "alice", second.id(), List.of(new Content.Text("y")), Optional.empty()))
                .getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class, c -> assertThat(c.stopReason()).isEqualTo("end_turn"));
    assertThat(turns.runningCount()).isZero();
  }

  @Test
  void aTurnStartedFromASessionAlreadyReadIsRefusedForAnotherOwnerOrOnceTheSessionIsDeleted()
      throws Exception {
    TurnService turns = service(Toolbox.NONE);
    List<Content> hi = List.of(new Content.Text("hi"));
    assertThatThrownBy(() -> turns.start("bob", session, hi, Optional.empty()))
        .isInstanceOf(goose.session.SessionNotFoundException.class);

    Session gone = store.create(new NewSession("alice", "gone", dir));
    assertThat(store.delete("alice", gone.id())).isTrue();
    assertThatThrownBy(() -> turns.start("alice", gone, hi, Optional.empty()))
        .isInstanceOf(goose.session.SessionNotFoundException.class);
    assertThat(turns.runningCount()).isZero();
    assertThat(turns.runningCount("alice")).isZero();

    provider.reply(new ProviderEvent.TextDelta("ok"), new ProviderEvent.Stop(StopReason.END_TURN));
    assertThat(follow(turns.start("alice", session, hi, Optional.empty())).getLast())
        .isInstanceOf(TurnEvent.MessageComplete.class);
    assertThat(store.conversation(session.id())).extracting(Message::text).contains("hi", "ok");
  }

  @Test
  void shutdownReturnsOnlyAfterAStoppedTurnHasWrittenItsMessageComplete() throws Exception {
    // The final event is written after the turn leaves the running set: a slow store write of it
    // must not let shutdown return (the server then closes the followers) before it is stored.
    events =
        new EventLog(
            new EventStore() {
              @Override
              public StoredEvent appendEvent(String sessionId, String turnId, TurnEvent event) {
                if (event instanceof TurnEvent.MessageComplete) {
                  try {
                    Thread.sleep(300); // the slow write under test, not a wait for a condition
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
                return store.appendEvent(sessionId, turnId, event);
              }

              @Override
              public List<StoredEvent> eventsAfter(String sessionId, long afterSeq, int limit) {
                return store.eventsAfter(sessionId, afterSeq, limit);
              }

              @Override
              public long lastEventSeq(String sessionId) {
                return store.lastEventSeq(sessionId);
              }
            });
    provider.blockAfter(new ProviderEvent.TextDelta("partial"));
    TurnService turns = service(Toolbox.NONE);
    turns.start("alice", session.id(), List.of(new Content.Text("long")), Optional.empty());
    assertThat(provider.blockedStreamOpened.await(5, TimeUnit.SECONDS)).isTrue();

    turns.shutdown(Duration.ofSeconds(5));

    assertThat(store.eventsAfter(session.id(), 0, 100))
        .extracting(StoredEvent::event)
        .last()
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class,
            c -> assertThat(c.stopReason()).isEqualTo("cancelled"));
  }

  @Test
  void sameRequestIdReattachesInsteadOfRunningAgain() throws Exception {
    provider.reply(
        new ProviderEvent.TextDelta("once"), new ProviderEvent.Stop(StopReason.END_TURN));
    TurnService turns = service(Toolbox.NONE);
    TurnService.StartedTurn first =
        turns.start("alice", session.id(), List.of(new Content.Text("q")), Optional.of("req-1"));
    follow(first);
    TurnService.StartedTurn again =
        turns.start("alice", session.id(), List.of(new Content.Text("q")), Optional.of("req-1"));

    assertThat(again.reattached()).isTrue();
    assertThat(again.turnId()).isEqualTo(first.turnId());
    assertThat(follow(again))
        .extracting(TurnEvent::eventName)
        .containsExactly("message_chunk", "usage", "message_complete");
    assertThat(provider.requests).hasSize(1);
    assertThat(store.conversation(session.id())).hasSize(2);
  }

  @Test
  void compactsWhenTheConversationNearsTheContextLimit() throws Exception {
    provider = new ScriptedProvider(1_000);
    TurnService turns = service(Toolbox.NONE);
    provider.reply(
        new ProviderEvent.TextDelta("x".repeat(3_000)),
        new ProviderEvent.Stop(StopReason.END_TURN));
    runTurn(turns, "write a lot");
    provider
        .reply(
            new ProviderEvent.TextDelta("the summary"), new ProviderEvent.Stop(StopReason.END_TURN))
        .reply(
            new ProviderEvent.TextDelta("fresh answer"),
            new ProviderEvent.Stop(StopReason.END_TURN));
    runTurn(turns, "next question");

    assertThat(provider.requests).hasSize(3);
    List<Message> sentAfterCompaction = provider.requests.get(2).messages();
    assertThat(sentAfterCompaction.getFirst().text())
        .startsWith(Compactor.SUMMARY_PREFIX)
        .endsWith("the summary");
    assertThat(sentAfterCompaction.getLast().content().getFirst())
        .isEqualTo(new Content.Text("next question"));
    assertThat(store.conversation(session.id()))
        .filteredOn(Message::userVisible)
        .extracting(Message::text)
        .containsExactly("write a lot", "x".repeat(3_000), "next question", "fresh answer");
  }

  @Test
  void contextLengthErrorCompactsAndRetriesOnce() throws Exception {
    TurnService turns = service(Toolbox.NONE, new AgentOptions(1000, 0)); // auto-compaction off
    provider.reply(
        new ProviderEvent.TextDelta("first"), new ProviderEvent.Stop(StopReason.END_TURN));
    runTurn(turns, "one");
    provider
        .fail(
            new ProviderException(ProviderException.Kind.CONTEXT_LENGTH_EXCEEDED, 400, "too long"))
        .reply(new ProviderEvent.TextDelta("summary"), new ProviderEvent.Stop(StopReason.END_TURN))
        .reply(new ProviderEvent.TextDelta("answer"), new ProviderEvent.Stop(StopReason.END_TURN));
    List<TurnEvent> seen = runTurn(turns, "two");

    assertThat(seen.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class, c -> assertThat(c.stopReason()).isEqualTo("end_turn"));
    assertThat(provider.requests.get(3).messages().getFirst().text())
        .startsWith(Compactor.SUMMARY_PREFIX);
  }

  @Test
  void recoveryAnswersDanglingToolRequestsAfterACrash() throws Exception {
    store.startTurn(session.id(), "turn-crashed", Optional.empty(), 1);
    store.appendMessage(session.id(), Message.user("do it"));
    store.appendMessage(
        session.id(),
        Message.assistant(
            List.of(new Content.ToolRequest("c9", "dev__shell", args("{}"))), TokenUsage.ZERO));

    assertThat(new TurnRecovery(store, events).recover(store.runningTurns())).isEmpty();

    Message repair = store.conversation(session.id()).getLast();
    assertThat(repair.content())
        .singleElement()
        .isInstanceOfSatisfying(
            Content.ToolResponse.class,
            r -> {
              assertThat(r.id()).isEqualTo("c9");
              assertThat(r.isError()).isTrue();
            });
    assertThat(store.runningTurns()).isEmpty();
    assertThat(store.eventsAfter(session.id(), 0, 10))
        .extracting(e -> e.event().eventName())
        .containsExactly("turn_error", "message_complete");
  }

  interface ToolFn {
    Content.ToolResponse call(ToolContext ctx, Content.ToolRequest request);
  }

  static Toolbox toolbox(ToolFn fn) {
    return new Toolbox() {
      @Override
      public List<ToolSpec> tools(ToolContext context) {
        return List.of(new ToolSpec("calc__add", "adds", args("{\"type\":\"object\"}"), false));
      }

      @Override
      public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
        return fn.call(context, request);
      }
    };
  }
}
