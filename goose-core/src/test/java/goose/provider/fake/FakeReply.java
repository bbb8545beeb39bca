package goose.provider.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a fake provider answers to one request: a plain status with a body, or a scripted stream.
 */
public sealed interface FakeReply {

  /** How a streamed reply ends. */
  enum Ending {
    /** The body is finished normally (last chunk) and the connection closed. */
    COMPLETE,
    /** The TCP connection is reset (RST) after the last write, without finishing the body. */
    RESET,
    /** Nothing more is written; the fake waits until the client closes the connection (or 60 s). */
    STALL
  }

  /** A non-streamed answer, typically an error: 429 with retry-after, 500, 400 context length... */
  record Status(int status, Map<String, String> headers, String body) implements FakeReply {
    public Status {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * A streamed 200 answer: each element of {@code writes} is written and flushed on its own (one
   * HTTP chunk, its own TCP segment), {@code chunkDelay} apart, after {@code firstByteDelay}. When
   * {@code held}, the fake waits for {@link FakeExchange#release()} after the last write and before
   * the ending, so a test can read what was sent before the connection is reset (a TCP reset makes
   * the receiver drop data it has not read yet).
   */
  record Stream(
      String contentType,
      List<byte[]> writes,
      Duration firstByteDelay,
      Duration chunkDelay,
      Ending ending,
      boolean held)
      implements FakeReply {
    public Stream {
      writes = List.copyOf(writes);
    }

    public static Stream of(String contentType, List<String> writes) {
      return new Stream(
          contentType,
          writes.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList(),
          Duration.ZERO,
          Duration.ZERO,
          Ending.COMPLETE,
          false);
    }

    public Stream withFirstByteDelay(Duration delay) {
      return new Stream(contentType, writes, delay, chunkDelay, ending, held);
    }

    public Stream withChunkDelay(Duration delay) {
      return new Stream(contentType, writes, firstByteDelay, delay, ending, held);
    }

    /** Keeps the first {@code n} writes, then resets the connection. */
    public Stream resetAfter(int n) {
      return new Stream(
          contentType,
          writes.subList(0, Math.min(n, writes.size())),
          firstByteDelay,
          chunkDelay,
          Ending.RESET,
          held);
    }

    /** Keeps the first {@code n} writes, then goes silent with the connection open. */
    public Stream stallAfter(int n) {
      return new Stream(
          contentType,
          writes.subList(0, Math.min(n, writes.size())),
          firstByteDelay,
          chunkDelay,
          Ending.STALL,
          held);
    }

    /** Waits for {@link FakeExchange#release()} before the ending. */
    public Stream heldBeforeEnding() {
      return new Stream(contentType, writes, firstByteDelay, chunkDelay, ending, true);
    }

    /** Inserts a raw write (for example a malformed line) before write {@code index}. */
    public Stream insert(int index, String raw) {
      List<byte[]> next = new ArrayList<>(writes);
      next.add(index, raw.getBytes(StandardCharsets.UTF_8));
      return new Stream(contentType, next, firstByteDelay, chunkDelay, ending, held);
    }

    /**
     * Inserts a line that is not valid JSON where an event is expected, before write {@code index}.
     */
    public Stream withMalformedLineAt(int index) {
      return insert(index, "data: {this is not json\n\n");
    }

    /**
     * The same bytes re-cut into writes of {@code size} bytes, so events, lines and multi-byte
     * UTF-8 characters are split across TCP writes.
     */
    public Stream rechunked(int size) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      writes.forEach(all::writeBytes);
      byte[] bytes = all.toByteArray();
      List<byte[]> next = new ArrayList<>();
      for (int i = 0; i < bytes.length; i += size) {
        next.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
      }
      return new Stream(contentType, next, firstByteDelay, chunkDelay, ending, held);
    }

    /** The whole body as text (for assertions on the fixture itself). */
    public String text() {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      writes.forEach(all::writeBytes);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  static Status status(int status, String body) {
    return new Status(status, Map.of("content-type", "application/json"), body);
  }

  static Status status(int status, Map<String, String> headers, String body) {
    return new Status(status, headers, body);
  }
}
