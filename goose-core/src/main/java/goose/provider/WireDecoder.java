package goose.provider;

import java.util.function.Consumer;

/**
 * Turns one API's SSE events into {@link ProviderEvent}s. One instance per response (it accumulates
 * tool-call fragments and usage); it may throw {@link ProviderException} for errors the API reports
 * inside the stream or for events it cannot understand.
 */
public interface WireDecoder {
  /**
   * Handles one event; returns true when the response is complete and nothing more must be read.
   */
  boolean onEvent(SseEvent event, Consumer<ProviderEvent> out);

  /**
   * The byte stream ended before {@link #onEvent} reported completion: emit what remains if the
   * reply is whole (Gemini just ends), or throw a {@link ProviderException.Kind#PROTOCOL} error.
   */
  void onEnd(Consumer<ProviderEvent> out);
}
