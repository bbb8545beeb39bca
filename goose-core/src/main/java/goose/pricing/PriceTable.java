package goose.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.Config;
import goose.config.ConfigException;
import goose.conversation.TokenUsage;
import goose.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Prices of models, for the cost estimates of turns and sessions: the operator's (config.yaml
 * {@code model_prices:}, or {@code GOOSE_MODEL_PRICES} holding the same mapping as JSON) before the
 * built-in list prices. A model is matched by its exact name, else by the longest name prefix; an
 * OpenRouter-style {@code vendor/} prefix is ignored. A model without a price has no estimate
 * (never a guess). Written by hand rather than fetched: the server must not reach out to a price
 * service, and an operator's negotiated prices are what matter.
 */
public final class PriceTable {
  public static final String KEY = "GOOSE_MODEL_PRICES";
  public static final String FILE_KEY = "model_prices";

  /** List prices, USD per million tokens: input, output, cache read, cache write. */
  private static final Map<String, ModelPrice> BUILT_IN =
      Map.ofEntries(
          Map.entry("claude-opus-4-5", new ModelPrice(5, 25, 0.5, 6.25)),
          Map.entry("claude-opus-4.5", new ModelPrice(5, 25, 0.5, 6.25)),
          Map.entry("claude-opus-4", new ModelPrice(15, 75, 1.5, 18.75)),
          Map.entry("claude-sonnet-4", new ModelPrice(3, 15, 0.3, 3.75)),
          Map.entry("claude-3-7-sonnet", new ModelPrice(3, 15, 0.3, 3.75)),
          Map.entry("claude-3-5-sonnet", new ModelPrice(3, 15, 0.3, 3.75)),
          Map.entry("claude-haiku-4", new ModelPrice(1, 5, 0.1, 1.25)),
          Map.entry("claude-3-5-haiku", new ModelPrice(0.8, 4, 0.08, 1)),
          // OpenAI and Google bill no cache writes: written tokens cost what input costs.
          Map.entry("gpt-5", new ModelPrice(1.25, 10, 0.125, 1.25)),
          Map.entry("gpt-5-mini", new ModelPrice(0.25, 2, 0.025, 0.25)),
          Map.entry("gpt-5-nano", new ModelPrice(0.05, 0.4, 0.005, 0.05)),
          Map.entry("gpt-4.1", new ModelPrice(2, 8, 0.5, 2)),
          Map.entry("gpt-4.1-mini", new ModelPrice(0.4, 1.6, 0.1, 0.4)),
          Map.entry("gpt-4.1-nano", new ModelPrice(0.1, 0.4, 0.025, 0.1)),
          Map.entry("gpt-4o", new ModelPrice(2.5, 10, 1.25, 2.5)),
          Map.entry("gpt-4o-mini", new ModelPrice(0.15, 0.6, 0.075, 0.15)),
          Map.entry("o3", new ModelPrice(2, 8, 0.5, 2)),
          Map.entry("o4-mini", new ModelPrice(1.1, 4.4, 0.275, 1.1)),
          Map.entry("gemini-2.5-pro", new ModelPrice(1.25, 10, 0.31, 1.25)),
          Map.entry("gemini-2.5-flash", new ModelPrice(0.3, 2.5, 0.075, 0.3)),
          Map.entry("gemini-2.5-flash-lite", new ModelPrice(0.1, 0.4, 0.025, 0.1)));

  private final List<Map.Entry<String, ModelPrice>> operator;
  private final List<Map.Entry<String, ModelPrice>> builtIn;

  private PriceTable(Map<String, ModelPrice> operator) {
    this.operator = byLength(operator);
    this.builtIn = byLength(BUILT_IN);
  }

  /** The built-in prices only. */
  public static PriceTable builtIn() {
    return new PriceTable(Map.of());
  }

  /** The built-in prices with {@code overrides} taking precedence. */
  public static PriceTable with(Map<String, ModelPrice> overrides) {
    return new PriceTable(overrides);
  }

  /**
   * The configured table; a malformed {@code model_prices} / {@code GOOSE_MODEL_PRICES} throws
   * {@link ConfigException} naming the entry.
   */
  public static PriceTable from(Config config) {
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    config.node(FILE_KEY).ifPresent(n -> prices.putAll(parse(n, "config.yaml " + FILE_KEY)));
    Optional<String> env = config.get(KEY).filter(v -> !v.isBlank());
    if (env.isPresent()) {
      JsonNode node;
      try {
        node = Json.parse(env.get());
      } catch (RuntimeException e) {
        throw new ConfigException(KEY + ": not a JSON object of model prices");
      }
      prices.putAll(parse(node, KEY));
    }
    return new PriceTable(prices);
  }

  /** {@code {"model": {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75}}}. */
  static Map<String, ModelPrice> parse(JsonNode node, String origin) {
    if (!node.isObject())
      throw new ConfigException(origin + ": expected a mapping of model name to prices");
    Map<String, ModelPrice> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String where = origin + "." + e.getKey();
      JsonNode p = e.getValue();
      if (!p.isObject() || !p.path("input").isNumber() || !p.path("output").isNumber())
        throw new ConfigException(
            where
                + ": give input and output (and optionally cache_read, cache_write) in USD per million tokens");
      double input = p.path("input").asDouble();
      try {
        out.put(
            e.getKey().toLowerCase(Locale.ROOT),
            new ModelPrice(
                input,
                p.path("output").asDouble(),
                number(p, "cache_read", input, where),
                number(p, "cache_write", input, where)));
      } catch (IllegalArgumentException bad) {
        throw new ConfigException(where + ": " + bad.getMessage());
      }
    }
    return out;
  }

  private static double number(JsonNode prices, String field, double fallback, String where) {
    JsonNode v = prices.path(field);
    if (v.isMissingNode() || v.isNull()) return fallback;
    if (!v.isNumber()) throw new ConfigException(where + "." + field + ": not a number");
    return v.asDouble();
  }

  public Optional<ModelPrice> price(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1);
    for (List<Map.Entry<String, ModelPrice>> table : List.of(operator, builtIn)) {
      for (Map.Entry<String, ModelPrice> e : table) {
        if (m.startsWith(e.getKey())) return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** The estimated cost of {@code usage} on {@code model} in US dollars; empty without a price. */
  public OptionalDouble cost(String model, TokenUsage usage) {
    return price(model).map(p -> OptionalDouble.of(p.cost(usage))).orElse(OptionalDouble.empty());
  }

  /** Longest name first, so the most specific entry (and an exact name) wins. */
  private static List<Map.Entry<String, ModelPrice>> byLength(Map<String, ModelPrice> prices) {
    List<Map.Entry<String, ModelPrice>> sorted = new ArrayList<>(prices.entrySet());
    sorted.sort(
        Comparator.comparingInt((Map.Entry<String, ModelPrice> e) -> e.getKey().length())
            .reversed());
    return List.copyOf(sorted);
  }
}
