package goose.server.turn;

import goose.event.EventCodec;
import goose.event.StoredEvent;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events straight to the servlet response, flushing after each event. Written by
 * hand on purpose: Javalin's SSE helper only serves GET requests carrying {@code Accept:
 * text/event-stream}, while a turn streams from a POST, and we need our own keep-alives and the
 * {@code id:} of every event. An {@link IOException} from {@link #send} or {@link #comment} means
 * the client has gone.
 */
final class SseWriter {
  private final OutputStream out;
  private long lastWriteNanos = System.nanoTime();

  SseWriter(HttpServletResponse response) throws IOException {
    response.setStatus(200);
    response.setContentType("text/event-stream;charset=utf-8");
    response.setHeader("Cache-Control", "no-cache, no-transform");
    response.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer this response
    this.out = response.getOutputStream();
    out.flush(); // commit the headers now: the client sees the stream open before the first event
  }

  /** Writes one event; {@code flush} false lets a burst of events leave in one write. */
  void send(StoredEvent stored, boolean flush) throws IOException {
    write(format(stored), flush);
  }

  static String format(StoredEvent stored) {
    String data = EventCodec.toJsonText(stored.event());
    return "id: "
        + stored.seq()
        + "\nevent: "
        + EventCodec.eventName(stored.event())
        + "\ndata: "
        + data
        + "\n\n";
  }

  /**
   * An SSE comment line: ignored by clients, keeps proxies from timing out and reveals a gone
   * client.
   */
  void comment(String text) throws IOException {
    write(": " + text + "\n\n", true);
  }

  long nanosSinceLastWrite() {
    return System.nanoTime() - lastWriteNanos;
  }

  private void write(String frame, boolean flush) throws IOException {
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    if (flush) out.flush();
    lastWriteNanos = System.nanoTime();
  }
}
