package goose.provider.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.TokenUsage;
import goose.ids.Ids;
import goose.json.Json;
import goose.provider.ProviderErrors;
import goose.provider.ProviderEvent;
import goose.provider.SseEvent;
import goose.provider.StopReason;
import goose.provider.WireDecoder;
import goose.provider.WireJson;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a Gemini {@code streamGenerateContent?alt=sse} stream: each event is a whole
 * GenerateContentResponse; text parts (thought parts as thinking), whole functionCall parts, the
 * finishReason and the latest usageMetadata. The stream has no end marker: it is complete when it
 * ends after a finishReason. Gemini reports STOP even when it calls functions, so calls make it
 * TOOL_USE.
 */
final class GoogleDecoder implements WireDecoder {
  private final String provider;
  private final List<String> secrets;
  private Optional<String> finish = Optional.empty();
  private Optional<TokenUsage> usage = Optional.empty();
  private boolean calledTools;

  GoogleDecoder(String provider, List<String> secrets) {
    this.provider = provider;
    this.secrets = secrets;
  }

  @Override
  public boolean onEvent(SseEvent event, Consumer<ProviderEvent> out) {
    JsonNode response = WireJson.parse(provider, event.data());
    JsonNode error = response.path("error");
    if (error.isObject()) {
      throw ProviderErrors.inStream(
          provider,
          error.path("status").asText(""),
          error.path("message").asText("error"),
          secrets);
    }
    String blocked = response.path("promptFeedback").path("blockReason").asText("");
    if (!blocked.isEmpty())
      throw ProviderErrors.inStream(
          provider, "blocked", "the prompt was blocked: " + blocked, secrets);
    JsonNode candidate = response.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      JsonNode text = part.path("text");
      if (text.isTextual() && !text.asText().isEmpty()) {
        out.accept(
            part.path("thought").asBoolean(false)
                ? new ProviderEvent.ThinkingDelta(text.asText())
                : new ProviderEvent.TextDelta(text.asText()));
      }
      JsonNode call = part.path("functionCall");
      if (call.isObject()) {
        String name = call.path("name").asText("");
        if (name.isEmpty())
          throw ProviderErrors.protocol(provider, "a functionCall without a name");
        JsonNode args = call.path("args");
        ObjectNode arguments = args.isObject() ? (ObjectNode) args : Json.object();
        String id = call.path("id").asText("");
        out.accept(
            new ProviderEvent.ToolCall(id.isEmpty() ? "call_" + Ids.newId() : id, name, arguments));
        calledTools = true;
      }
    }
    JsonNode reason = candidate.path("finishReason");
    if (reason.isTextual()) finish = Optional.of(reason.asText());
    JsonNode u = response.path("usageMetadata");
    if (u.isObject()) {
      usage =
          Optional.of(
              new TokenUsage(
                  u.path("promptTokenCount").asLong(0),
                  u.path("candidatesTokenCount").asLong(0) + u.path("thoughtsTokenCount").asLong(0),
                  // Gemini 2.5's implicit caching reports what it read; goosed sets no explicit
                  // cache (cachedContents) yet.
                  u.path("cachedContentTokenCount").asLong(0),
                  0));
    }
    return false;
  }

  @Override
  public void onEnd(Consumer<ProviderEvent> out) {
    if (finish.isEmpty())
      throw ProviderErrors.protocol(provider, "the stream ended without a finishReason");
    usage.ifPresent(u -> out.accept(new ProviderEvent.Usage(u)));
    StopReason stop =
        switch (finish.get()) {
          case "STOP" -> calledTools ? StopReason.TOOL_USE : StopReason.END_TURN;
          case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
          default -> StopReason.OTHER;
        };
    out.accept(new ProviderEvent.Stop(stop));
  }
}
