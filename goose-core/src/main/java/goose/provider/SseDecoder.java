package goose.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one SSE decoder of all providers, per the WHATWG event-stream grammar. It works on bytes and
 * cuts lines at CR, LF or CRLF before decoding each whole line as UTF-8, so a multi-byte character
 * split across network reads (or a CRLF split between two reads) is never corrupted. Handles {@code
 * event:}, multi-line {@code data:}, {@code id:}, comments ({@code :keep-alive}) and a leading BOM;
 * {@code retry:} is ignored. Not thread-safe: one reader.
 *
 * <p>Written here rather than taken from a library because the JDK has none and the grammar is
 * small; owning it lets every provider share the same byte-exact behaviour and one line-length
 * limit.
 */
public final class SseDecoder {
  /** Default longest accepted line; a longer one is a broken or hostile stream, not a reply. */
  public static final int DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  // Small: the HTTP client below buffers the socket, and a read returns at most one HTTP chunk.
  private final byte[] buf = new byte[4 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean skipLeadingLf;
  private boolean firstLine = true;
  private byte[] line = new byte[256];
  private int lineLength;

  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);

  private String eventType = "";

  /** The event's data when it has one data line (the usual case): no copy into {@link #data}. */
  private String firstData = "";

  /** The data lines joined, once an event has a second one. */
  private final StringBuilder data = new StringBuilder();

  private boolean hasData;
  private String lastId = "";

  public SseDecoder(InputStream in) {
    this(in, DEFAULT_MAX_LINE_BYTES);
  }

  public SseDecoder(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * The next complete event, or empty at the end of the stream. An event cut off by the end of the
   * stream (no blank line after it) is still delivered, as servers that close right after the last
   * data line expect.
   *
   * @throws SseFormatException when a line exceeds the limit
   */
  public Optional<SseEvent> next() throws IOException {
    while (true) {
      if (!readLine()) {
        return hasData ? Optional.of(dispatch()) : Optional.empty();
      }
      int start = lineStart();
      if (lineLength == start) {
        if (hasData) return Optional.of(dispatch());
        eventType = "";
        continue;
      }
      if (line[start] == ':') continue;
      // The field name is matched on the bytes; only the value becomes a String (one per line).
      int colon = indexOfColon(start);
      int nameEnd = colon < 0 ? lineLength : colon;
      int valueStart =
          colon < 0
              ? lineLength
              : colon + 1 < lineLength && line[colon + 1] == ' ' ? colon + 2 : colon + 1;
      if (fieldIs(start, nameEnd, DATA)) {
        String value = text(valueStart);
        if (!hasData) {
          firstData = value;
        } else {
          if (data.isEmpty()) data.append(firstData);
          data.append('\n').append(value);
        }
        hasData = true;
      } else if (fieldIs(start, nameEnd, EVENT)) {
        eventType = text(valueStart);
      } else if (fieldIs(start, nameEnd, ID)) {
        String value = text(valueStart);
        if (value.indexOf('\0') < 0) lastId = value;
      }
      // "retry" and unknown fields are ignored, as the grammar says
    }
  }

  private SseEvent dispatch() {
    String joined = data.isEmpty() ? firstData : data.toString();
    SseEvent event = new SseEvent(eventType.isEmpty() ? "message" : eventType, joined, lastId);
    data.setLength(0);
    firstData = "";
    hasData = false;
    eventType = "";
    return event;
  }

  /** Where the line's text starts: after a byte-order mark on the stream's first line. */
  private int lineStart() {
    if (!firstLine) return 0;
    firstLine = false;
    if (lineLength >= 3
        && (line[0] & 0xFF) == 0xEF
        && (line[1] & 0xFF) == 0xBB
        && (line[2] & 0xFF) == 0xBF) {
      System.arraycopy(line, 3, line, 0, lineLength - 3);
      lineLength -= 3;
    }
    return 0;
  }

  private int indexOfColon(int from) {
    for (int i = from; i < lineLength; i++) if (line[i] == ':') return i;
    return -1;
  }

  private boolean fieldIs(int start, int end, byte[] name) {
    return Arrays.equals(line, start, end, name, 0, name.length);
  }

  private String text(int from) {
    return from >= lineLength
        ? ""
        : new String(line, from, lineLength - from, StandardCharsets.UTF_8);
  }

  /** Reads one line without its terminator into {@code line}; false at the end of the stream. */
  private boolean readLine() throws IOException {
    lineLength = 0;
    while (true) {
      if (pos == limit && !fill()) return lineLength > 0;
      if (skipLeadingLf) {
        skipLeadingLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') pos++;
      append(start, pos - start);
      if (pos < limit) {
        if (buf[pos] == '\r') skipLeadingLf = true;
        pos++;
        return true;
      }
    }
  }

  private boolean fill() throws IOException {
    if (eof) return false;
    int n = in.read(buf, 0, buf.length);
    if (n < 0) {
      eof = true;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  private void append(int start, int count) {
    if (count == 0) return;
    if (lineLength + count > maxLineBytes) {
      throw new SseFormatException(
          "an event-stream line is longer than " + maxLineBytes + " bytes");
    }
    if (lineLength + count > line.length)
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
    System.arraycopy(buf, start, line, lineLength, count);
    lineLength += count;
  }

  /** The stream broke the event-stream grammar or its limits. */
  public static final class SseFormatException extends RuntimeException {
    public SseFormatException(String message) {
      super(message);
    }
  }
}
