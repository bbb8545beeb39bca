package goose.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
  private final byte[] buf = new byte[16 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean skipLeadingLf;
  private boolean firstLine = true;
  private byte[] line = new byte[256];
  private int lineLength;

  private String eventType = "";
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
      String text = readLine();
      if (text == null) {
        return hasData ? Optional.of(dispatch()) : Optional.empty();
      }
      if (text.isEmpty()) {
        if (hasData) return Optional.of(dispatch());
        eventType = "";
        continue;
      }
      if (text.charAt(0) == ':') continue;
      int colon = text.indexOf(':');
      String field = colon < 0 ? text : text.substring(0, colon);
      String value =
          colon < 0
              ? ""
              : text.substring(
                  colon + 1 < text.length() && text.charAt(colon + 1) == ' '
                      ? colon + 2
                      : colon + 1);
      switch (field) {
        case "event" -> eventType = value;
        case "data" -> {
          if (hasData) data.append('\n');
          data.append(value);
          hasData = true;
        }
        case "id" -> {
          if (value.indexOf('\0') < 0) lastId = value;
        }
        default -> {
          // "retry" and unknown fields are ignored, as the grammar says
        }
      }
    }
  }

  private SseEvent dispatch() {
    SseEvent event =
        new SseEvent(eventType.isEmpty() ? "message" : eventType, data.toString(), lastId);
    data.setLength(0);
    hasData = false;
    eventType = "";
    return event;
  }

  /** One line without its terminator, decoded as UTF-8; null at the end of the stream. */
  private @Nullable String readLine() throws IOException {
    lineLength = 0;
    while (true) {
      if (pos == limit && !fill()) {
        if (lineLength == 0) return null;
        return decodeLine();
      }
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
        return decodeLine();
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

  private String decodeLine() {
    int offset = 0;
    if (firstLine) {
      firstLine = false;
      if (lineLength >= 3
          && (line[0] & 0xFF) == 0xEF
          && (line[1] & 0xFF) == 0xBB
          && (line[2] & 0xFF) == 0xBF) offset = 3;
    }
    return new String(line, offset, lineLength - offset, StandardCharsets.UTF_8);
  }

  /** The stream broke the event-stream grammar or its limits. */
  public static final class SseFormatException extends RuntimeException {
    public SseFormatException(String message) {
      super(message);
    }
  }
}
