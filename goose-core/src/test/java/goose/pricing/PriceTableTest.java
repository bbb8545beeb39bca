package goose.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import goose.config.Config;
import goose.config.ConfigException;
import goose.conversation.TokenUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
  @TempDir Path dir;

  Config config(Map<String, String> env, String yaml) throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("config"));
    Path file = root.resolve("config/config.yaml");
    if (yaml.isEmpty()) Files.deleteIfExists(file);
    else Files.writeString(file, yaml);
    java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
    all.put("GOOSE_PATH_ROOT", root.toString());
    return Config.load(all, dir);
  }

  @Test
  void cacheReadsAndWritesAreBilledAtTheirOwnPrices() {
    ModelPrice sonnet = PriceTable.builtIn().price("claude-sonnet-4-5").orElseThrow();
    // 20,000 input of which 18,000 read from cache and 1,000 written; 500 output
    TokenUsage usage = new TokenUsage(20_000, 500, 18_000, 1_000);

    assertThat(sonnet.cost(usage))
        .isCloseTo((1_000 * 3 + 18_000 * 0.3 + 1_000 * 3.75 + 500 * 15) / 1e6, within(1e-12));
  }

  @Test
  void modelsMatchByTheLongestPrefixWithoutTheirVendor() {
    PriceTable table = PriceTable.builtIn();

    assertThat(table.price("claude-opus-4-5-20251101").orElseThrow().input()).isEqualTo(5);
    assertThat(table.price("claude-opus-4-1").orElseThrow().input()).isEqualTo(15);
    assertThat(table.price("anthropic/claude-sonnet-4.5").orElseThrow().output()).isEqualTo(15);
    assertThat(table.price("gpt-4o-mini").orElseThrow().input()).isEqualTo(0.15);
    assertThat(table.price("my-local-llama")).isEmpty();
    assertThat(table.cost("my-local-llama", new TokenUsage(1, 1))).isEmpty();
  }

  @Test
  void anOperatorsPricesComeFirstFromConfigYamlAndTheEnvironment() throws Exception {
    PriceTable table =
        PriceTable.from(
            config(
                Map.of(PriceTable.KEY, "{\"claude-sonnet-4\": {\"input\": 2, \"output\": 10}}"),
                """
                model_prices:
                  my-local-llama: {input: 0.1, output: 0.2, cache_read: 0.01}
                """));

    ModelPrice local = table.price("my-local-llama-70b").orElseThrow();
    assertThat(local).isEqualTo(new ModelPrice(0.1, 0.2, 0.01, 0.1));
    assertThat(table.price("claude-sonnet-4-5").orElseThrow())
        .isEqualTo(new ModelPrice(2, 10, 2, 2));
    assertThat(table.price("claude-haiku-4-5").orElseThrow().input()).isEqualTo(1);
  }

  @Test
  void aMalformedPriceStopsTheStartNamingTheEntry() throws Exception {
    assertThatThrownBy(() -> PriceTable.from(config(Map.of(), "model_prices:\n  m: {input: 1}\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("model_prices.m");
    assertThatThrownBy(
            () -> PriceTable.from(config(Map.of(), "model_prices:\n  m: {input: 1, output: -2}\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> PriceTable.from(config(Map.of(PriceTable.KEY, "not json"), "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(PriceTable.KEY);
  }
}
