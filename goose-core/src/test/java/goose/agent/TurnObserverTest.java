package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import goose.conversation.Content;
import goose.conversation.TokenUsage;
import goose.event.EventLog;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.provider.ProviderEvent;
import goose.provider.StopReason;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** What a {@link TurnObserver} sees of a real turn, and that a broken one cannot break the turn. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TurnObserverTest {
  @TempDir Path dir;
  private SessionStore store;
  private EventLog events;
  private Session session;
  private final ScriptedProvider provider = new ScriptedProvider();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    store = SessionStores.open(Config.load(Map.of("GOOSE_PATH_ROOT", dir.toString()), dir));
    events = new EventLog(store);
    session = store.create(new NewSession("alice", "test", dir));
  }

  @AfterEach
  void close() {
    store.close();
    MDC.clear();
  }

  private List<TurnEvent> runTurn(TurnObserver observer) throws InterruptedException {
    // The tool answers with the request id it finds in its thread's logging context.
    goose.tool.Toolbox toolbox =
        TurnServiceTest.toolbox(
            (ctx, req) ->
                new Content.ToolResponse(
                    req.id(),
                    List.of(new Content.Text("request " + MDC.get("request_id"))),
                    false));
    Agent agent =
        new Agent(
            store,
            toolbox,
            new SystemPrompt(dir.resolve("config")),
            AgentOptions.DEFAULTS,
            observer);
    TurnService turns = new TurnService(store, events, agent, () -> provider);
    MDC.put("request_id", "req-9");
    TurnService.StartedTurn started =
        turns.start("alice", session.id(), List.of(new Content.Text("add")), Optional.empty());
    MDC.remove("request_id");
    List<TurnEvent> out = new java.util.ArrayList<>();
    try (EventLog.Subscription sub =
        events.subscribe(started.sessionId(), started.firstSeq() - 1)) {
      while (true) {
        StoredEvent e = sub.next(Duration.ofSeconds(10)).orElseThrow();
        out.add(e.event());
        if (e.event() instanceof TurnEvent.MessageComplete) return out;
      }
    }
  }

  private void scriptToolTurn() {
    provider
        .reply(
            new ProviderEvent.ToolCall("call_1", "calc__add", TurnServiceTest.args("{}")),
            new ProviderEvent.Usage(new TokenUsage(10, 2)),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(
            new ProviderEvent.TextDelta("done"),
            new ProviderEvent.Usage(new TokenUsage(20, 4)),
            new ProviderEvent.Stop(StopReason.END_TURN));
  }

  @Test
  void seesTheTurnItsProviderCallsToolEventsAndEnd() throws Exception {
    scriptToolTurn();
    TurnObserver recording =
        (sessionId, providerName) -> {
          seen.add("start " + sessionId + " " + providerName);
          return new TurnObserver.Turn() {
            @Override
            public TurnObserver.ProviderCall providerCall() {
              seen.add("call");
              return new TurnObserver.ProviderCall() {
                @Override
                public void completed(TokenUsage usage) {
                  seen.add("completed " + usage.inputTokens() + "/" + usage.outputTokens());
                }
              };
            }

            @Override
            public void event(TurnEvent event) {
              seen.add(event.eventName());
            }

            @Override
            public void ended(Agent.StopCause cause, TokenUsage usage) {
              seen.add("ended " + cause.wire() + " " + usage.total());
            }
          };
        };
    List<TurnEvent> events = runTurn(recording);

    assertThat(seen)
        .containsExactly(
            "start " + session.id() + " scripted",
            "call",
            "completed 10/2",
            "usage",
            "tool_call",
            "tool_result",
            "call",
            "message_chunk",
            "completed 20/4",
            "usage",
            "ended end_turn 36");
    // The tool-call thread carried the request id of the message that started the turn.
    assertThat(events)
        .filteredOn(TurnEvent.ToolResult.class::isInstance)
        .singleElement()
        .satisfies(
            e ->
                assertThat(((TurnEvent.ToolResult) e).result().toString())
                    .contains("request req-9"));
  }

  @Test
  void anObserverThatThrowsIsIgnoredAndTheTurnGoesOn() throws Exception {
    scriptToolTurn();
    TurnObserver broken =
        (sessionId, providerName) ->
            new TurnObserver.Turn() {
              @Override
              public TurnObserver.ProviderCall providerCall() {
                throw new IllegalStateException("broken observer");
              }

              @Override
              public void event(TurnEvent event) {
                throw new IllegalStateException("broken observer");
              }

              @Override
              public void ended(Agent.StopCause cause, TokenUsage usage) {
                throw new IllegalStateException("broken observer");
              }
            };
    List<TurnEvent> events = runTurn(broken);
    assertThat(events.getLast())
        .isEqualTo(new TurnEvent.MessageComplete("end_turn", new TokenUsage(30, 6)));
    assertThat(store.conversation(session.id()).getLast().text()).isEqualTo("done");

    TurnObserver failsAtStart =
        (sessionId, providerName) -> {
          throw new IllegalStateException("broken at start");
        };
    provider.reply(
        new ProviderEvent.TextDelta("still fine"), new ProviderEvent.Stop(StopReason.END_TURN));
    assertThat(runTurn(failsAtStart).getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class, c -> assertThat(c.stopReason()).isEqualTo("end_turn"));
  }
}
