package goose.server.turn;

import goose.event.EventCodec;
import goose.event.StoredEvent;
import goose.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events straight to the servlet response, flushing after each event. Written by
 * hand on purpose: Javalin's SSE helper only serves GET requests carrying {@code Accept:
 * text/event-stream}, while a turn streams from a POST, and we need our own keep-alives and the
 * {@code id:} of every event. An {@link IOException} from {@link #send} or {@link #comment} means the
 * client has gone.
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

  void send(StoredEvent stored) throws IOException {
    write(format(stored));
  }

  static String format(StoredEvent stored) {
    String data = Json.write(EventCodec.toJson(stored.event()));
    return "id: " + stored.seq() + "\nevent: " + EventCodec.eventName(stored.event()) + "\ndata: " + data + "\n\n";
  }

  /** An SSE comment line: ignored by clients, keeps proxies from timing out and reveals a gone client. */
  void comment(String text) throws IOException {
    write(": " + text + "\n\n");
  }

  long nanosSinceLastWrite() {
    return System.nanoTime() - lastWriteNanos;
  }

  private void write(String frame) throws IOException {
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    out.flush();
    lastWriteNanos = System.nanoTime();
  }
}
