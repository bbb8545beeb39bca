package goose.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** The few pieces of HTTP/1.1 framing the raw-socket fake and client need. */
final class HttpLines {
  private HttpLines() {}

  /** A CRLF- or LF-terminated line without its terminator; null at the end of the stream. */
  static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') break;
      if (c != '\r') b.write(c);
    }
    if (c == -1 && b.size() == 0) return null;
    return b.toString(StandardCharsets.UTF_8);
  }

  /** Copies a whole chunked body to {@code out}. */
  static void readChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      int size = nextChunkSize(in);
      if (size == 0) {
        readLine(in);
        return;
      }
      out.write(in.readNBytes(size));
      readLine(in);
    }
  }

  /** The size line of the next chunk. */
  static int nextChunkSize(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) throw new EOFException("connection closed inside a chunked body");
    int semi = line.indexOf(';');
    return Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
  }
}
