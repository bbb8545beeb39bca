package goose.provider;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Context windows and output budgets of well-known models, matched by the longest name prefix (an
 * OpenRouter-style {@code vendor/} prefix is ignored). The window is used when neither {@code
 * GOOSE_CONTEXT_LIMIT} nor a declarative provider's model list gives it (unknown models: {@value
 * #DEFAULT}); the output budget ({@code max_tokens}) when {@code GOOSE_MAX_OUTPUT_TOKENS} does not
 * (unknown models: {@value #DEFAULT_OUTPUT}). The budgets are the models' documented maxima, so a
 * large file write is not cut off by a budget smaller than the model allows.
 */
public final class ModelLimits {
  public static final int DEFAULT = 128_000;
  public static final int DEFAULT_OUTPUT = 16_384;

  private static final List<Map.Entry<String, Integer>> OUTPUT_BY_PREFIX =
      byLength(
          List.of(
              Map.entry("claude-opus-4-5", 64_000),
              Map.entry("claude-opus-4.5", 64_000),
              Map.entry("claude-opus-4", 32_000),
              Map.entry("claude-sonnet-4", 64_000),
              Map.entry("claude-haiku-4", 64_000),
              Map.entry("claude-3-7-sonnet", 64_000),
              Map.entry("claude-3-5", 8_192),
              Map.entry("claude-3", 4_096),
              Map.entry("gpt-5", 128_000),
              Map.entry("gpt-4.1", 32_768),
              Map.entry("gpt-4o", 16_384),
              Map.entry("gpt-4-turbo", 4_096),
              Map.entry("gpt-4", 8_192),
              Map.entry("gpt-3.5", 4_096),
              Map.entry("o1", 100_000),
              Map.entry("o3", 100_000),
              Map.entry("o4", 100_000),
              Map.entry("gemini-3", 65_536),
              Map.entry("gemini-2.5", 65_536),
              Map.entry("gemini-2.0", 8_192),
              Map.entry("gemini-1.5", 8_192)));

  private static final List<Map.Entry<String, Integer>> BY_PREFIX =
      byLength(
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
              Map.entry("kimi-k2", 131_072)));

  private ModelLimits() {}

  public static int contextLimit(String model) {
    return lookup(BY_PREFIX, model, DEFAULT);
  }

  /** The most tokens the model may write in one reply. */
  public static int maxOutputTokens(String model) {
    return lookup(OUTPUT_BY_PREFIX, model, DEFAULT_OUTPUT);
  }

  private static int lookup(List<Map.Entry<String, Integer>> table, String model, int fallback) {
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1);
    for (Map.Entry<String, Integer> e : table) {
      if (m.startsWith(e.getKey())) return e.getValue();
    }
    return fallback;
  }

  /** Longest prefix first, so the most specific entry wins. */
  private static List<Map.Entry<String, Integer>> byLength(List<Map.Entry<String, Integer>> all) {
    return all.stream()
        .sorted(
            Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length())
                .reversed())
        .toList();
  }
}
