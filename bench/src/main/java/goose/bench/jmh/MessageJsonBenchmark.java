package goose.bench.jmh;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.json.Json;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A conversation message to and from JSON with the shared mapper, as the store and the API do. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
public class MessageJsonBenchmark {
  private Message message;
  private String json;

  @Setup
  public void setUp() throws IOException {
    message =
        Message.assistant(
            List.of(new Content.Text("lorem ipsum dolor sit amet ".repeat(20))),
            new TokenUsage(1000, 200));
    json = Json.MAPPER.writeValueAsString(message);
  }

  @Benchmark
  public String serialise() throws IOException {
    return Json.MAPPER.writeValueAsString(message);
  }

  @Benchmark
  public Message deserialise() throws IOException {
    return Json.MAPPER.readValue(json, Message.class);
  }
}
