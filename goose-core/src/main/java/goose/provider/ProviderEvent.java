package goose.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.TokenUsage;
import java.util.Objects;

/**
 * What a provider's streamed response is made of, whatever its wire format. Text and thinking
 * arrive as deltas; a tool call arrives whole once its arguments are complete (providers accumulate
 * the JSON fragments); usage and the stop reason arrive once.
 */
public sealed interface ProviderEvent {

  record TextDelta(String text) implements ProviderEvent {
    public TextDelta {
      Objects.requireNonNull(text);
    }
  }

  record ThinkingDelta(String text) implements ProviderEvent {
    public ThinkingDelta {
      Objects.requireNonNull(text);
    }
  }

  /** The signature closing a thinking block (Anthropic), to be sent back verbatim. */
  record ThinkingSignature(String signature) implements ProviderEvent {
    public ThinkingSignature {
      Objects.requireNonNull(signature);
    }
  }

  record RedactedThinking(String data) implements ProviderEvent {
    public RedactedThinking {
      Objects.requireNonNull(data);
    }
  }

  record ToolCall(String id, String name, ObjectNode arguments) implements ProviderEvent {
    public ToolCall {
      Objects.requireNonNull(id);
      Objects.requireNonNull(name);
      Objects.requireNonNull(arguments);
    }
  }

  record Usage(TokenUsage usage) implements ProviderEvent {
    public Usage {
      Objects.requireNonNull(usage);
    }
  }

  record Stop(StopReason reason) implements ProviderEvent {
    public Stop {
      Objects.requireNonNull(reason);
    }
  }
}
