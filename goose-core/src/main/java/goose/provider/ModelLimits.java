package goose.provider;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Context windows of well-known models, matched by the longest name prefix (an OpenRouter-style
 * {@code vendor/} prefix is ignored). Used when neither {@code GOOSE_CONTEXT_LIMIT} nor a
 * declarative provider's model list gives the limit; unknown models get {@value #DEFAULT}.
 */
public final class ModelLimits {
  public static final int DEFAULT = 128_000;

  private static final List<Map.Entry<String, Integer>> BY_PREFIX =
      List.<Map.Entry<String, Integer>>of(
              Map.entry("claude", 200_000),
              Map.entry("gpt-5", 400_000),
              Map.entry("gpt-4.1", 1_047_576),
              Map.entry("gpt-4o", 128_000),
              Map.entry("gpt-4-turbo", 128_000),
              Map.entry("gpt-4", 8_192),
              Map.entry("gpt-3.5", 16_385),
              Map.entry("gpt-oss", 131_072),
              Map.entry("o1", 200_000),
              Map.entry("o3", 200_000),
              Map.entry("o4", 200_000),
              Map.entry("gemini-1.5-pro", 2_097_152),
              Map.entry("gemini", 1_048_576),
              Map.entry("llama3", 128_000),
              Map.entry("llama-3", 128_000),
              Map.entry("qwen3", 40_960),
              Map.entry("qwen2.5", 32_768),
              Map.entry("deepseek", 128_000),
              Map.entry("grok-4", 256_000),
              Map.entry("grok", 131_072),
              Map.entry("mistral-large", 131_072),
              Map.entry("codestral", 256_000),
              Map.entry("kimi-k2", 131_072))
          .stream()
          .sorted(
              Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length())
                  .reversed())
          .toList();

  private ModelLimits() {}

  public static int contextLimit(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1);
    for (Map.Entry<String, Integer> e : BY_PREFIX) {
      if (m.startsWith(e.getKey())) return e.getValue();
    }
    return DEFAULT;
  }
}
