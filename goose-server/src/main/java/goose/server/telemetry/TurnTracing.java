package goose.server.telemetry;

import goose.agent.Agent;
import goose.agent.TurnObserver;
import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import goose.provider.ProviderException;
import goose.server.http.RequestIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;

/**
 * Traces of turns: a {@code goose.turn} span per turn, with a {@code goose.provider_call} child per
 * call to the model and a {@code goose.tool_call} child per tool call. Attributes follow the
 * OpenTelemetry GenAI conventions where they exist ({@code gen_ai.system}, {@code gen_ai.usage.*});
 * the turn carries the request id that started it, the same one as its log lines. Arguments,
 * results and message text are never recorded: they are the user's data.
 */
final class TurnTracing implements TurnObserver {
  static final AttributeKey<String> SESSION = AttributeKey.stringKey("goose.session.id");
  static final AttributeKey<String> REQUEST = AttributeKey.stringKey("goose.request_id");
  static final AttributeKey<String> STOP_REASON = AttributeKey.stringKey("goose.stop_reason");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> ERROR_KIND = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> EXTENSION = AttributeKey.stringKey("goose.extension");

  private final Tracer tracer;

  TurnTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public Turn turnStarted(String sessionId, String provider) {
    var span =
        tracer
            .spanBuilder("goose.turn")
            .setSpanKind(SpanKind.INTERNAL)
            .setNoParent()
            .setAttribute(SESSION, sessionId)
            .setAttribute(SYSTEM, provider);
    String requestId = MDC.get(RequestIds.MDC_KEY);
    if (requestId != null) span.setAttribute(REQUEST, requestId);
    return new TracedTurn(span.startSpan(), provider);
  }

  private final class TracedTurn implements Turn {
    private final Span turn;
    private final Context parent;
    private final String provider;
    private final Map<String, Span> tools = new ConcurrentHashMap<>();

    TracedTurn(Span turn, String provider) {
      this.turn = turn;
      this.parent = Context.root().with(turn);
      this.provider = provider;
    }

    @Override
    public ProviderCall providerCall() {
      Span call =
          tracer
              .spanBuilder("goose.provider_call")
              .setParent(parent)
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(SYSTEM, provider)
              .startSpan();
      AtomicBoolean ended = new AtomicBoolean();
      return new ProviderCall() {
        @Override
        public void completed(TokenUsage usage) {
          if (!ended.compareAndSet(false, true)) return;
          call.setAttribute(INPUT_TOKENS, usage.inputTokens())
              .setAttribute(OUTPUT_TOKENS, usage.outputTokens());
          call.end();
        }

        @Override
        public void failed(RuntimeException error) {
          if (!ended.compareAndSet(false, true)) return;
          if (error instanceof ProviderException e) {
            call.setAttribute(ERROR_KIND, e.kind().name().toLowerCase(Locale.ROOT));
            if (e.status() > 0) call.setAttribute(HTTP_STATUS, (long) e.status());
            call.setStatus(StatusCode.ERROR, e.getMessage());
          } else {
            call.setAttribute(ERROR_KIND, error.getClass().getSimpleName());
            call.setStatus(StatusCode.ERROR);
          }
          call.end();
        }
      };
    }

    @Override
    public void event(TurnEvent event) {
      switch (event) {
        case TurnEvent.ToolCall call ->
            tools.put(
                call.id(),
                tracer
                    .spanBuilder("goose.tool_call")
                    .setParent(parent)
                    .setAttribute(TOOL, call.tool())
                    .setAttribute(TOOL_CALL_ID, call.id())
                    .setAttribute(EXTENSION, ToolNames.extension(call.tool()))
                    .startSpan());
        case TurnEvent.ToolResult result -> {
          Span span = tools.remove(result.id());
          if (span == null) return;
          if ("error".equals(result.status())) span.setStatus(StatusCode.ERROR);
          span.end();
        }
        case TurnEvent.Error error -> turn.addEvent("error: " + error.code());
        default -> {}
      }
    }

    @Override
    public void ended(Agent.StopCause cause, TokenUsage usage) {
      tools.values().forEach(Span::end); // calls a cancel left unanswered
      tools.clear();
      turn.setAttribute(STOP_REASON, cause.wire())
          .setAttribute(INPUT_TOKENS, usage.inputTokens())
          .setAttribute(OUTPUT_TOKENS, usage.outputTokens());
      if (cause == Agent.StopCause.ERROR) turn.setStatus(StatusCode.ERROR);
      turn.end();
    }
  }
}
