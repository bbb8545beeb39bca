package goose.server.telemetry;

import goose.agent.Agent;
import goose.agent.TurnObserver;
import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import goose.provider.ProviderException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turn metrics for Prometheus. Labels are bounded on purpose: provider, stop reason, extension,
 * error kind and HTTP status, never a session, user or tool-call id.
 *
 * <ul>
 *   <li>{@code goose_turns_started_total{provider}}, {@code
 *       goose_turns_completed_total{provider,stop_reason}}
 *   <li>{@code goose_turn_duration_seconds{provider,stop_reason}} (histogram)
 *   <li>{@code goose_time_to_first_token_seconds{provider}}: turn start to the first streamed text
 *       (histogram)
 *   <li>{@code goose_tokens_total{provider,direction=input|output}}
 *   <li>{@code goose_provider_errors_total{provider,kind,status}}
 *   <li>{@code goose_tool_calls_total{extension,status=success|error}}, {@code
 *       goose_tool_call_duration_seconds{extension}}
 * </ul>
 */
final class TurnMetrics implements TurnObserver {
  private final MeterRegistry registry;

  TurnMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Turn turnStarted(String sessionId, String provider) {
    Counter.builder("goose.turns.started")
        .description("Turns started")
        .tag("provider", provider)
        .register(registry)
        .increment();
    return new ObservedTurn(provider, System.nanoTime());
  }

  private final class ObservedTurn implements Turn {
    private final String provider;
    private final long started;
    private final AtomicBoolean firstToken = new AtomicBoolean();
    private final Map<String, Long> toolStarts = new ConcurrentHashMap<>();

    ObservedTurn(String provider, long started) {
      this.provider = provider;
      this.started = started;
    }

    @Override
    public ProviderCall providerCall() {
      return new ProviderCall() {
        @Override
        public void completed(TokenUsage usage) {
          tokens("input", usage.inputTokens());
          tokens("output", usage.outputTokens());
        }

        @Override
        public void failed(RuntimeException error) {
          if (!(error instanceof ProviderException e))
            return; // a cancel or our own failure, not the provider's
          Counter.builder("goose.provider.errors")
              .description("Failed provider calls by kind and HTTP status (0: none)")
              .tag("provider", provider)
              .tag("kind", e.kind().name().toLowerCase(Locale.ROOT))
              .tag("status", Integer.toString(e.status()))
              .register(registry)
              .increment();
        }
      };
    }

    @Override
    public void event(TurnEvent event) {
      switch (event) {
        case TurnEvent.MessageChunk c when firstToken.compareAndSet(false, true) ->
            timer(
                    "goose.time_to_first_token",
                    "From the start of a turn to its first streamed text")
                .tag("provider", provider)
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - started));
        case TurnEvent.ToolCall call -> toolStarts.put(call.id(), System.nanoTime());
        case TurnEvent.ToolResult result -> {
          String extension = ToolNames.extension(result.tool());
          Counter.builder("goose.tool.calls")
              .description("Tool calls by extension and outcome")
              .tag("extension", extension)
              .tag("status", "error".equals(result.status()) ? "error" : "success")
              .register(registry)
              .increment();
          Long start = toolStarts.remove(result.id());
          if (start != null) {
            timer("goose.tool.call.duration", "Time a tool call took")
                .tag("extension", extension)
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start));
          }
        }
        default -> {}
      }
    }

    @Override
    public void ended(Agent.StopCause cause, TokenUsage usage) {
      Counter.builder("goose.turns.completed")
          .description("Turns ended, by stop reason")
          .tag("provider", provider)
          .tag("stop_reason", cause.wire())
          .register(registry)
          .increment();
      timer("goose.turn.duration", "Time a turn took, by stop reason")
          .tag("provider", provider)
          .tag("stop_reason", cause.wire())
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - started));
    }

    private void tokens(String direction, long count) {
      if (count <= 0) return;
      Counter.builder("goose.tokens")
          .description("Tokens reported by the provider")
          .tag("provider", provider)
          .tag("direction", direction)
          .register(registry)
          .increment((double) count);
    }
  }

  private static Timer.Builder timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5))
        .maximumExpectedValue(Duration.ofMinutes(30));
  }
}
