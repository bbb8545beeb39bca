package goose.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseDecoderTest {

  /** Delivers at most {@code step} bytes per read, as a slow network would. */
  private static InputStream trickle(byte[] bytes, int step) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  private static List<SseEvent> decode(String text, int step) throws IOException {
    SseDecoder decoder = new SseDecoder(trickle(text.getBytes(StandardCharsets.UTF_8), step));
    List<SseEvent> events = new ArrayList<>();
    for (Optional<SseEvent> e = decoder.next(); e.isPresent(); e = decoder.next())
      events.add(e.get());
    return events;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 4096})
  void eventsAreTheSameWhateverTheReadSizes(int step) throws IOException {
    String stream =
        "\uFEFF: a comment\r\nevent: first\r\ndata: héllo 🦆\r\nid: 7\r\n\r\n"
            + "data: line one\ndata:line two\n\n"
            + ":keep-alive\n\n"
            + "event: cr\rdata: old mac\r\r"
            + "data: 日本語 at the end without a blank line";
    assertThat(decode(stream, step))
        .containsExactly(
            new SseEvent("first", "héllo 🦆", "7"),
            new SseEvent("message", "line one\nline two", "7"),
            new SseEvent("cr", "old mac", "7"),
            new SseEvent("message", "日本語 at the end without a blank line", "7"));
  }

  @Test
  void eventTypeWithoutDataIsDroppedAndDoesNotLeak() throws IOException {
    assertThat(decode("event: lonely\n\ndata: x\n\n", 5))
        .containsExactly(new SseEvent("message", "x", ""));
  }

  @Test
  void emptyDataFieldsAndUnknownFieldsFollowTheGrammar() throws IOException {
    assertThat(decode("data\ndata\nretry: 100\nfoo: bar\n\n", 3))
        .containsExactly(new SseEvent("message", "\n", ""));
    assertThat(decode("data:  two spaces\n\n", 3))
        .containsExactly(new SseEvent("message", " two spaces", ""));
    // an empty first data line, three lines, and the next event not carrying any of them
    assertThat(decode("data\ndata: b\ndata: c\n\ndata: next\n\n", 4))
        .containsExactly(
            new SseEvent("message", "\nb\nc", ""), new SseEvent("message", "next", ""));
  }

  @Test
  void aLineOverTheLimitIsRefused() {
    SseDecoder decoder =
        new SseDecoder(
            new ByteArrayInputStream(
                ("data: " + "x".repeat(100) + "\n\n").getBytes(StandardCharsets.UTF_8)),
            64);
    assertThatThrownBy(decoder::next)
        .isInstanceOf(SseDecoder.SseFormatException.class)
        .hasMessageContaining("64 bytes");
  }

  @Test
  void emptyStreamHasNoEvents() throws IOException {
    assertThat(decode("", 1)).isEmpty();
  }
}
