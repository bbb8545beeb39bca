package goose.provider;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import goose.provider.ProviderException.Kind;
import java.util.List;
import java.util.Locale;

/**
 * Maps provider failures to {@link ProviderException}s whose messages are safe for clients: one
 * line, at most {@value #MAX_DETAIL} characters of the provider's own explanation, and any
 * configured secret blanked out. Context-length refusals of every supported API become {@link
 * Kind#CONTEXT_LENGTH_EXCEEDED} so the agent can compact and retry.
 */
public final class ProviderErrors {
  static final int MAX_DETAIL = 300;

  /** How each API words "the prompt is longer than the context window" (lower case). */
  private static final List<String> CONTEXT_LENGTH_PHRASES =
      List.of(
          "context_length_exceeded", // OpenAI code, also Groq, OpenRouter
          "maximum context length", // OpenAI, vLLM, DeepSeek
          "context length", // Ollama, LM Studio
          "context window",
          "prompt is too long", // Anthropic
          "input is too long",
          "exceeds the maximum number of tokens", // Gemini
          "too many tokens",
          "string_above_max_length",
          "reduce the length of the messages");

  private ProviderErrors() {}

  /** A non-2xx response. {@code body} is the (bounded) response body, possibly empty. */
  public static ProviderException fromStatus(
      String provider, int status, String body, List<String> secrets) {
    String detail = detail(body);
    Kind kind =
        switch (status) {
          case 401, 403 -> Kind.AUTH;
          case 429 -> Kind.RATE_LIMITED;
          case 413 -> Kind.CONTEXT_LENGTH_EXCEEDED;
          case 408 -> Kind.SERVER;
          default -> {
            if (status >= 500) yield Kind.SERVER;
            yield isContextLength(body) ? Kind.CONTEXT_LENGTH_EXCEEDED : Kind.BAD_REQUEST;
          }
        };
    String text = provider + ": HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
    return new ProviderException(kind, status, redact(text, secrets));
  }

  /**
   * An error reported inside a 200 stream (Anthropic {@code event: error}, OpenAI {@code data:
   * {"error":..}}).
   */
  public static ProviderException inStream(
      String provider, String type, String message, List<String> secrets) {
    String t = type.toLowerCase(Locale.ROOT);
    Kind kind;
    if (isContextLength(t + " " + message)) kind = Kind.CONTEXT_LENGTH_EXCEEDED;
    else if (t.contains("overloaded")
        || t.contains("api_error")
        || t.contains("server")
        || t.contains("unavailable")) kind = Kind.SERVER;
    else if (t.contains("rate_limit") || t.contains("exhausted")) kind = Kind.RATE_LIMITED;
    else if (t.contains("auth") || t.contains("permission")) kind = Kind.AUTH;
    else kind = Kind.BAD_REQUEST;
    return new ProviderException(
        kind,
        0,
        redact(
            provider + ": " + oneLine(type.isEmpty() ? message : type + ": " + message), secrets));
  }

  public static ProviderException protocol(String provider, String problem) {
    return new ProviderException(
        Kind.PROTOCOL, 0, provider + ": unexpected response: " + oneLine(problem));
  }

  public static boolean isContextLength(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return CONTEXT_LENGTH_PHRASES.stream().anyMatch(lower::contains);
  }

  /**
   * The provider's explanation: error.message (all three APIs), else message, else the body's first
   * line.
   */
  static String detail(String body) {
    if (body.isBlank()) return "";
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      JsonNode error = json.path("error");
      String message =
          error.isTextual()
              ? error.asText()
              : error.path("message").asText(json.path("message").asText(""));
      String type = error.path("type").asText(error.path("status").asText(""));
      if (!message.isEmpty()) return oneLine(type.isEmpty() ? message : type + ": " + message);
    } catch (Exception notJson) {
      // an HTML error page from a proxy, plain text...: fall back to the first line
    }
    return oneLine(body);
  }

  /** First line, whitespace collapsed, at most {@value #MAX_DETAIL} characters. */
  public static String oneLine(String text) {
    String s = text.strip();
    int nl = s.indexOf('\n');
    if (nl >= 0) s = s.substring(0, nl).strip();
    s = s.replaceAll("\\s+", " ");
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
  }

  static String redact(String text, List<String> secrets) {
    String out = text;
    for (String secret : secrets) {
      if (secret.length() >= 4) out = out.replace(secret, "***");
    }
    return out;
  }
}
