package goose.bench.jmh;

import goose.conversation.Message;
import goose.event.TurnEvent;
import goose.session.NewSession;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Store appends on a real SQLite file (WAL, synchronous=NORMAL as the server opens it): one event
 * (what every relayed chunk costs) and one message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
public class StoreAppendBenchmark {
  private Path dir;
  private SessionStore store;
  private String session;
  private final TurnEvent chunk = new TurnEvent.MessageChunk("text", "one token chunk ", "msg_1");
  private final String text = "a message of some length, " + "x".repeat(200);

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("goose-jmh-store");
    store = SessionStores.openSqlite(dir.resolve("sessions.db"));
    session = store.create(new NewSession("local", "jmh", dir)).id();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Object appendEvent() {
    return store.appendEvent(session, "turn_1", chunk);
  }

  @Benchmark
  public void appendMessage() {
    store.appendMessage(session, Message.user(text)); // a new message id each time: ids are unique
  }
}
