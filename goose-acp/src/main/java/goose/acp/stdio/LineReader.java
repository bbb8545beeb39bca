package goose.acp.stdio;

import java.io.IOException;
import java.io.Reader;
import java.util.Optional;

/**
 * The lines of a stream, each at most {@code maxChars} long: a longer line is read to its end and
 * dropped, never held in memory whole ({@link java.io.BufferedReader#readLine} would buffer it
 * without bound before anyone could see its length). A line ends at {@code \n}; a {@code \r} before
 * it is dropped; the last line may end with the input instead.
 */
final class LineReader {
  /** What {@link #next} read: a line, or the length of one too long to keep. */
  sealed interface Line {
    record Text(String text) implements Line {}

    record TooLong(long chars) implements Line {}
  }

  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;

  LineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line; empty once the input has ended. */
  Optional<Line> next() throws IOException {
    StringBuilder line = new StringBuilder();
    long length = 0;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? Optional.of(line(line, length)) : Optional.empty();
        }
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') position++;
      int chars = position - start;
      if (length + chars <= maxChars) line.append(buffer, start, chars);
      else line.setLength(0); // too long already: nothing of it is kept
      length += chars;
      if (position < limit) { // at the '\n'
        position++;
        return Optional.of(line(line, length));
      }
    }
  }

  private Line line(StringBuilder line, long length) {
    if (length > maxChars) return new Line.TooLong(length);
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
    return new Line.Text(line.toString());
  }
}
