package goose.provider.openai;

import goose.provider.ProviderEvent;
import goose.provider.SseDecoder;
import goose.provider.SseEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding a provider's stream: the SSE framing and the OpenAI chunk JSON of a 3,000-chunk reply
 * held in memory, per chunk. In this package because the decoder's constructor is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
public class OpenAiDecodeBenchmark {
  static final int CHUNKS = 3000;
  private byte[] body;

  @Setup
  public void setUp() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < CHUNKS; i++) {
      sb.append(
              "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"m\",")
          .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word")
          .append(i)
          .append(" \"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    sb.append(
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\"m\",")
        .append(
            "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    body = sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Score is per whole reply; divide by 3,000 for one chunk. */
  @Benchmark
  public int decode3000Chunks() throws IOException {
    SseDecoder sse = new SseDecoder(new ByteArrayInputStream(body));
    OpenAiDecoder decoder = new OpenAiDecoder("openai", List.of());
    int[] n = {0};
    java.util.function.Consumer<ProviderEvent> out = e -> n[0]++;
    for (Optional<SseEvent> e = sse.next(); e.isPresent(); e = sse.next()) {
      if (decoder.onEvent(e.get(), out)) break;
    }
    return n[0];
  }
}
