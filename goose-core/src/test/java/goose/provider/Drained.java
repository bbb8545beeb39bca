package goose.provider;

import goose.conversation.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything a provider stream produced, and the error that ended it if any. */
public record Drained(List<ProviderEvent> events, Optional<ProviderException> error) {

  /** Reads {@code stream} to its end (or its first error), then closes it. */
  public static Drained drain(ProviderStream stream) {
    List<ProviderEvent> events = new ArrayList<>();
    try (stream) {
      while (stream.hasNext()) events.add(stream.next());
      return new Drained(events, Optional.empty());
    } catch (ProviderException e) {
      return new Drained(events, Optional.of(e));
    }
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ProviderEvent e : events) if (e instanceof ProviderEvent.TextDelta t) sb.append(t.text());
    return sb.toString();
  }

  public String thinking() {
    StringBuilder sb = new StringBuilder();
    for (ProviderEvent e : events)
      if (e instanceof ProviderEvent.ThinkingDelta t) sb.append(t.text());
    return sb.toString();
  }

  public List<ProviderEvent.ToolCall> toolCalls() {
    return events.stream()
        .filter(ProviderEvent.ToolCall.class::isInstance)
        .map(ProviderEvent.ToolCall.class::cast)
        .toList();
  }

  public Optional<StopReason> stop() {
    return events.stream()
        .filter(ProviderEvent.Stop.class::isInstance)
        .map(e -> ((ProviderEvent.Stop) e).reason())
        .findFirst();
  }

  public Optional<TokenUsage> usage() {
    return events.stream()
        .filter(ProviderEvent.Usage.class::isInstance)
        .map(e -> ((ProviderEvent.Usage) e).usage())
        .findFirst();
  }

  public ProviderException failure() {
    return error.orElseThrow(
        () -> new AssertionError("expected the stream to fail, it produced " + events));
  }
}
