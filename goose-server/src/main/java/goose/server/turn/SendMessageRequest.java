package goose.server.turn;

import com.fasterxml.jackson.databind.JsonNode;
import goose.server.http.Doc;
import java.util.Optional;

/** {@code POST /sessions/{id}/messages}: the user's message and how to treat the stream. */
@Doc("A user message that starts a turn")
public record SendMessageRequest(
    @Doc(
            "The message: a string, or an array of content parts ({\"type\":\"text\",\"text\":...} or {\"type\":\"image\",\"data\":base64,\"mime_type\":...})")
        JsonNode content,
    @Doc(
            "Idempotency key (1-128 printable characters): a repeated POST with the same key re-attaches to that turn instead of running it again")
        Optional<String> requestId,
    @Doc(
            "What happens to the turn when this stream's client disconnects: cancel (default) or continue (re-attach through GET /sessions/{id}/events)")
        Optional<OnDisconnect> onDisconnect) {
  public SendMessageRequest {
    requestId = requestId == null ? Optional.empty() : requestId;
    onDisconnect = onDisconnect == null ? Optional.empty() : onDisconnect;
  }

  public enum OnDisconnect {
    CANCEL,
    CONTINUE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
