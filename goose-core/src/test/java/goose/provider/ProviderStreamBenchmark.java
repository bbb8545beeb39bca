package goose.provider;

import goose.conversation.Message;
import goose.provider.anthropic.AnthropicProvider;
import goose.provider.fake.FakeAnthropicServer;
import goose.provider.fake.FakeGoogleServer;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeOpenAiServer;
import goose.provider.fake.FakeReply;
import goose.provider.google.GoogleProvider;
import goose.provider.openai.OpenAiEndpoint;
import goose.provider.openai.OpenAiProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Measures a 3,000-chunk reply read straight from a fake provider over loopback HTTP (each chunk
 * its own HTTP chunk and TCP write), per wire format: time to the first text event and to the last
 * event. Also the SSE decoder alone on the same bytes in memory. Not a test: run its {@code main}.
 */
public final class ProviderStreamBenchmark {
  private static final int CHUNKS = 3000;
  private static final int WARMUP = 20;
  private static final int RUNS = 30;

  public static void main(String[] args) throws Exception {
    String[] words = new String[CHUNKS];
    for (int i = 0; i < CHUNKS; i++) words[i] = "word" + i + " ";
    ProviderHttp http = ProviderHttp.create(Duration.ofSeconds(30), RetryPolicy.of(0));
    run(
        "anthropic",
        new FakeAnthropicServer(),
        FakeAnthropicServer.text(words),
        f ->
            new AnthropicProvider(
                settings("anthropic", http), f.baseUri().toString(), "k", OptionalInt.empty()));
    run(
        "openai",
        new FakeOpenAiServer(),
        FakeOpenAiServer.text(words),
        f ->
            new OpenAiProvider(
                settings("openai", http),
                OpenAiEndpoint.bearer(
                    f.baseUri().resolve("/v1/chat/completions"),
                    Optional.of("k"),
                    Map.of(),
                    "max_tokens")));
    run(
        "google",
        new FakeGoogleServer(),
        FakeGoogleServer.text(words),
        f -> new GoogleProvider(settings("google", http), f.baseUri().toString(), "k"));
    decoderOnly(FakeOpenAiServer.text(words));
  }

  private static ProviderSettings settings(String name, ProviderHttp http) {
    return new ProviderSettings(name, "bench", 128_000, http);
  }

  private static void run(
      String name,
      FakeHttpServer fake,
      FakeReply.Stream reply,
      Function<FakeHttpServer, Provider> make) {
    try (fake) {
      Provider provider = make.apply(fake);
      ProviderRequest request =
          new ProviderRequest("bench", List.of(Message.user("go")), List.of());
      List<Long> first = new ArrayList<>();
      List<Long> total = new ArrayList<>();
      List<Long> arrival = new ArrayList<>();
      for (int i = 0; i < WARMUP + RUNS; i++) {
        fake.enqueue(reply);
        long start = System.nanoTime();
        long firstText = 0;
        int texts = 0;
        try (ProviderStream stream = provider.stream(request)) {
          while (stream.hasNext()) {
            if (stream.next() instanceof ProviderEvent.TextDelta) {
              if (texts++ == 0) firstText = System.nanoTime();
            }
          }
        }
        long end = System.nanoTime();
        if (texts != CHUNKS)
          throw new IllegalStateException(name + ": got " + texts + " text events");
        if (i >= WARMUP) {
          first.add(firstText - start);
          arrival.add(fake.lastRequest().receivedAtNanos() - start);
          total.add(end - start);
        }
      }
      System.out.printf("%-10s request at fake p50 %.2f ms;%n", name, ms(pct(arrival, 50)));
      System.out.printf(
          "%-10s %d chunks, %d bytes: first text p50 %.2f ms; whole reply p50 %.1f ms, p90 %.1f ms (%.0f chunks/s)%n",
          name,
          CHUNKS,
          reply.text().getBytes(StandardCharsets.UTF_8).length,
          ms(pct(first, 50)),
          ms(pct(total, 50)),
          ms(pct(total, 90)),
          CHUNKS / (pct(total, 50) / 1e9));
    }
  }

  private static void decoderOnly(FakeReply.Stream reply) throws IOException {
    byte[] bytes = reply.text().getBytes(StandardCharsets.UTF_8);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long start = System.nanoTime();
      SseDecoder decoder = new SseDecoder(new ByteArrayInputStream(bytes));
      int n = 0;
      while (decoder.next().isPresent()) n++;
      if (n < CHUNKS) throw new IllegalStateException("decoded " + n);
      times.add(System.nanoTime() - start);
    }
    System.out.printf(
        "sse-decoder alone (in memory, %d bytes): p50 %.3f ms%n",
        bytes.length, ms(pct(times.subList(100, 200), 50)));
  }

  private static long pct(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
