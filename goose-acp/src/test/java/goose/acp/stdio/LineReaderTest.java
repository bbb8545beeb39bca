package goose.acp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  private static List<LineReader.Line> all(Reader in, int max) throws IOException {
    LineReader reader = new LineReader(in, max);
    List<LineReader.Line> lines = new ArrayList<>();
    for (Optional<LineReader.Line> l = reader.next(); l.isPresent(); l = reader.next())
      lines.add(l.get());
    return lines;
  }

  @Test
  void splitsOnNewlinesDropsACarriageReturnAndKeepsALastLineWithoutNewline() throws IOException {
    assertThat(all(new StringReader("one\ntwo\r\n\nthree"), 100))
        .containsExactly(
            new LineReader.Line.Text("one"),
            new LineReader.Line.Text("two"),
            new LineReader.Line.Text(""),
            new LineReader.Line.Text("three"));
    assertThat(all(new StringReader(""), 100)).isEmpty();
  }

  @Test
  void aLineOverTheLimitIsReportedWithItsLengthAndTheNextLineIsReadWhole() throws IOException {
    assertThat(all(new StringReader("12345\n123456\nok\n"), 5))
        .containsExactly(
            new LineReader.Line.Text("12345"),
            new LineReader.Line.TooLong(6),
            new LineReader.Line.Text("ok"));
  }

  @Test
  void aHugeLineIsSkippedWithoutBeingHeld() throws IOException {
    // 20 million characters, produced as they are read: a reader that kept the line would need
    // 40 MB for it; this one keeps at most its limit.
    long huge = 20_000_000L;
    Reader endless =
        new Reader() {
          long left = huge;
          boolean newline = true;

          @Override
          public int read(char[] buf, int off, int len) {
            if (left == 0) {
              if (!newline) return -1;
              newline = false;
              buf[off] = '\n';
              return 1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(buf, off, off + n, 'a');
            left -= n;
            return n;
          }

          @Override
          public void close() {}
        };
    assertThat(all(endless, 1024)).containsExactly(new LineReader.Line.TooLong(huge));
  }
}
