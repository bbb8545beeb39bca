package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.approval.AuditLog;
import goose.config.Config;
import goose.conversation.Content;
import goose.event.EventLog;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.pricing.PriceTable;
import goose.session.NameSource;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.session.SqliteTemplate;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What agent-loop tests run turns on: a real SQLite store with its event log, one session of
 * alice's, and a scripted provider.
 */
final class AgentRig implements AutoCloseable {
  final Path dir;
  final SessionStore store;
  final EventLog events;
  final Session session;
  final ScriptedProvider provider;

  AgentRig(Path dir, NameSource nameSource) {
    this(dir, nameSource, new ScriptedProvider());
  }

  AgentRig(Path dir, NameSource nameSource, ScriptedProvider provider) {
    this.dir = dir;
    this.store =
        SessionStores.open(
            SqliteTemplate.placeFor(Config.load(Map.of("GOOSE_PATH_ROOT", dir.toString()), dir)));
    this.events = new EventLog(store);
    this.session =
        store.create(
            new NewSession(
                "alice",
                nameSource == NameSource.DEFAULT ? "New session" : "named",
                dir,
                nameSource));
    this.provider = provider;
  }

  TurnService service(
      Toolbox toolbox,
      AgentOptions options,
      SystemPrompt prompt,
      PriceTable prices,
      Optional<SessionTitles> titles) {
    Agent agent =
        new Agent(store, toolbox, prompt, options, AuditLog.NONE, TurnObserver.NONE, prices);
    return new TurnService(
        store,
        events,
        agent,
        ProviderSource.of(() -> provider),
        ToolGates.ALLOW_ALL,
        TurnLimits.NONE,
        TurnLeases.none(),
        goose.event.ClusterSignals.IN_PROCESS,
        titles);
  }

  TurnService service(Toolbox toolbox, AgentOptions options) {
    return service(
        toolbox,
        options,
        new SystemPrompt(dir.resolve("config")),
        PriceTable.builtIn(),
        Optional.empty());
  }

  List<TurnEvent> run(TurnService turns, String text) throws InterruptedException {
    return follow(
        events,
        turns.start("alice", session.id(), List.of(new Content.Text(text)), Optional.empty()));
  }

  /** The turn's events up to its message_complete (10 s at most between two). */
  static List<TurnEvent> follow(EventLog events, TurnService.StartedTurn started)
      throws InterruptedException {
    List<TurnEvent> seen = new ArrayList<>();
    try (EventLog.Subscription sub =
        events.subscribe(started.sessionId(), started.firstSeq() - 1)) {
      while (true) {
        StoredEvent e =
            sub.next(Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("no event within 10 s; seen " + seen));
        assertThat(e.turnId()).isEqualTo(started.turnId());
        seen.add(e.event());
        if (e.event() instanceof TurnEvent.MessageComplete) return seen;
      }
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
