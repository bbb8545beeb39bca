package goose.server.turn;

import goose.event.EventCodec;
import goose.event.StoredEvent;
import goose.server.http.SseStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes a session's stored events as Server-Sent Events: the event name, the sequence number as
 * {@code id:}, the event as JSON {@code data:}. An {@link IOException} means the client has gone.
 */
final class SseWriter {
  private final SseStream out;

  SseWriter(HttpServletResponse response) throws IOException {
    this.out = new SseStream(response);
  }

  /** Writes one event; {@code flush} false lets a burst of events leave in one write. */
  void send(StoredEvent stored, boolean flush) throws IOException {
    out.frame(format(stored), flush);
  }

  /** The frame of one event; its data is the JSON text made when it was stored. */
  static String format(StoredEvent stored) {
    return "id: "
        + stored.seq()
        + "\nevent: "
        + EventCodec.eventName(stored.event())
        + "\ndata: "
        + stored.data()
        + "\n\n";
  }

  void comment(String text) throws IOException {
    out.comment(text);
  }

  long nanosSinceLastWrite() {
    return out.nanosSinceLastWrite();
  }
}
