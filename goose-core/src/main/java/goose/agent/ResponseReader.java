package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import goose.provider.ProviderEvent;
import goose.provider.ProviderStream;
import goose.provider.StopReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one streamed provider response into an assistant message, relaying text and thinking to the
 * client as they arrive. What was received stays readable after a failure or cancel ({@link
 * #partial()}), so no streamed word is lost.
 */
final class ResponseReader {
  private final String messageId;
  private final TurnEmitter emitter;
  private final List<Content> parts = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder thinking = new StringBuilder();
  private String signature = "";
  private TokenUsage usage = TokenUsage.ZERO;
  private StopReason stopReason = StopReason.END_TURN;
  private final Instant createdAt = Instant.now();

  ResponseReader(String messageId, TurnEmitter emitter) {
    this.messageId = messageId;
    this.emitter = emitter;
  }

  /** Reads the stream to its end; {@code ProviderException} and interrupts propagate. */
  void readAll(ProviderStream stream, TurnControl control) {
    while (stream.hasNext()) {
      if (control.isCancelled()) throw new TurnCancelledException();
      accept(stream.next());
    }
    // A closed stream may look like a clean end: what decides is whether the turn was cancelled.
    if (control.isCancelled()) throw new TurnCancelledException();
  }

  private void accept(ProviderEvent event) {
    switch (event) {
      case ProviderEvent.TextDelta d -> {
        flushThinking();
        text.append(d.text());
        if (!d.text().isEmpty())
          emitter.emit(new TurnEvent.MessageChunk("text", d.text(), messageId));
      }
      case ProviderEvent.ThinkingDelta d -> {
        flushText();
        thinking.append(d.text());
        if (!d.text().isEmpty())
          emitter.emit(new TurnEvent.MessageChunk("thinking", d.text(), messageId));
      }
      case ProviderEvent.ThinkingSignature s -> {
        signature = s.signature();
        flushThinking();
      }
      case ProviderEvent.RedactedThinking r -> {
        flushText();
        flushThinking();
        parts.add(new Content.RedactedThinking(r.data()));
      }
      case ProviderEvent.ToolCall call -> {
        flushText();
        flushThinking();
        parts.add(new Content.ToolRequest(call.id(), call.name(), call.arguments()));
      }
      case ProviderEvent.Usage u -> usage = u.usage();
      case ProviderEvent.Stop s -> stopReason = s.reason();
    }
  }

  private void flushText() {
    if (!text.isEmpty()) {
      parts.add(new Content.Text(text.toString()));
      text.setLength(0);
    }
  }

  private void flushThinking() {
    if (!thinking.isEmpty() || !signature.isEmpty()) {
      parts.add(new Content.Thinking(thinking.toString(), signature));
      thinking.setLength(0);
      signature = "";
    }
  }

  /** The complete message; call after {@link #readAll} returned. */
  Message message() {
    flushText();
    flushThinking();
    return new Message(messageId, Role.ASSISTANT, createdAt, parts, true, true, false, usage);
  }

  /**
   * What arrived before a failure, marked interrupted. Tool requests are dropped: a call the model
   * did not finish asking for is not to be run, nor answered.
   */
  Message partial() {
    flushText();
    flushThinking();
    List<Content> kept = parts.stream().filter(p -> !(p instanceof Content.ToolRequest)).toList();
    return new Message(messageId, Role.ASSISTANT, createdAt, kept, true, true, true, usage);
  }

  boolean hasContent() {
    return !parts.isEmpty() || !text.isEmpty() || !thinking.isEmpty();
  }

  TokenUsage usage() {
    return usage;
  }

  /** The id of the message being read (its message_chunk events carry it). */
  String messageId() {
    return messageId;
  }

  StopReason stopReason() {
    return stopReason;
  }
}
