package goose.provider.openai;

import goose.config.Config;
import goose.provider.Provider;
import goose.provider.ProviderHttp;
import goose.provider.configured.Providers;
import goose.provider.fake.FakeHttpServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole provider contract for the providers that reuse the Chat Completions code, each built
 * from its documented settings by {@link Providers#fromConfig(Config, ProviderHttp)}.
 */
class OllamaAzureOpenRouterProviderTest {
  @TempDir static Path home;

  static Provider fromSettings(ProviderHttp http, String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_CONFIG_DIR", home.resolve("config").toString());
    for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
    return Providers.fromConfig(Config.load(env, home), http);
  }

  @Nested
  class Ollama extends OpenAiCompatibleContractTest {
    @Override
    protected Provider provider(FakeHttpServer fake, ProviderHttp http) {
      return fromSettings(
          http, "GOOSE_PROVIDER", "ollama", "OLLAMA_HOST", fake.baseUri().toString());
    }

    @Override
    protected boolean usesApiKey() {
      return false;
    }
  }

  @Nested
  class Azure extends OpenAiCompatibleContractTest {
    @Override
    protected Provider provider(FakeHttpServer fake, ProviderHttp http) {
      return fromSettings(
          http,
          "GOOSE_PROVIDER",
          "azure_openai",
          "AZURE_OPENAI_ENDPOINT",
          fake.baseUri().toString(),
          "AZURE_OPENAI_DEPLOYMENT_NAME",
          "dep",
          "AZURE_OPENAI_API_KEY",
          API_KEY);
    }
  }

  @Nested
  class OpenRouter extends OpenAiCompatibleContractTest {
    @Override
    protected Provider provider(FakeHttpServer fake, ProviderHttp http) {
      return fromSettings(
          http,
          "GOOSE_PROVIDER",
          "openrouter",
          "OPENROUTER_API_KEY",
          API_KEY,
          "OPENROUTER_HOST",
          fake.baseUri().toString());
    }
  }

  @Nested
  class Groq extends OpenAiCompatibleContractTest {
    @Override
    protected Provider provider(FakeHttpServer fake, ProviderHttp http) {
      return fromSettings(
          http,
          "GOOSE_PROVIDER",
          "groq",
          "GROQ_API_KEY",
          API_KEY,
          "GROQ_BASE_URL",
          fake.baseUri() + "/openai/v1");
    }
  }
}
