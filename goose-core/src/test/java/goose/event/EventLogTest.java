package goose.event;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import goose.conversation.TokenUsage;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Closing subscriptions: what was appended before the close still reaches the follower. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventLogTest {
  @TempDir Path dir;
  private SessionStore store;
  private EventLog events;
  private Session session;

  @BeforeEach
  void open() {
    store = SessionStores.open(Config.load(Map.of("GOOSE_PATH_ROOT", dir.toString()), dir));
    events = new EventLog(store);
    session = store.create(new NewSession("alice", "test", dir));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aSubscriptionClosedAtShutdownStillDeliversTheEventsAppendedBeforeThenEnds()
      throws Exception {
    EventLog.Subscription follower = events.subscribe(session.id(), 0);
    events.append(session.id(), "t1", new TurnEvent.MessageChunk("text", "partial", "m1"));
    assertThat(follower.next(Duration.ofSeconds(5)).map(e -> e.seq())).contains(1L);

    // A turn cancelled by the shutdown records its end, then every subscription is closed before
    // its follower's thread has taken the event (the race a loaded machine loses).
    events.append(session.id(), "t1", new TurnEvent.MessageComplete("cancelled", TokenUsage.ZERO));
    events.closeAll();

    assertThat(follower.isClosed()).isTrue();
    Optional<StoredEvent> last = follower.next(Duration.ofSeconds(5));
    assertThat(last.map(StoredEvent::event)).containsInstanceOf(TurnEvent.MessageComplete.class);
    long start = System.nanoTime();
    assertThat(follower.next(Duration.ofSeconds(5))).as("then the end, at once").isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aSubscriptionClosedBeforeItsReplayStillReplaysTheStoredEvents() throws Exception {
    events.append(session.id(), "t1", new TurnEvent.MessageChunk("text", "a", "m1"));
    events.append(session.id(), "t1", new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO));
    EventLog.Subscription late = events.subscribe(session.id(), 0);
    late.close();
    assertThat(late.next(Duration.ofSeconds(5)).map(StoredEvent::seq)).contains(1L);
    assertThat(late.next(Duration.ofSeconds(5)).map(StoredEvent::seq)).contains(2L);
    assertThat(late.next(Duration.ofSeconds(5))).isEmpty();
  }
}
