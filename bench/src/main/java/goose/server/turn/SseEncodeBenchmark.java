package goose.server.turn;

import goose.event.StoredEvent;
import goose.event.TurnEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding one stored event as an SSE frame, as the server does for every event it relays. In this
 * package because {@link SseWriter#format} is package-private (the bench module is on the same
 * class path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
public class SseEncodeBenchmark {
  private final TurnEvent chunk =
      new TurnEvent.MessageChunk("text", "Hello, this is one token chunk ", "msg_0123456789");
  private final Instant at = Instant.parse("2026-11-29T01:00:00Z");

  @Benchmark
  public byte[] messageChunkFrame() {
    // the event's JSON is made once, when it is stored (StoredEvent), and framed for the stream
    StoredEvent stored = new StoredEvent("20261129_1", 1234, "turn_0123456789", at, chunk);
    return SseWriter.format(stored).getBytes(StandardCharsets.UTF_8);
  }
}
