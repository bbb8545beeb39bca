package goose.provider.configured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.config.ConfigException;
import goose.provider.Drained;
import goose.provider.ModelLimits;
import goose.provider.Provider;
import goose.provider.ProviderContractTest;
import goose.provider.ProviderException;
import goose.provider.ProviderNotConfiguredException;
import goose.provider.ProviderRequest;
import goose.provider.fake.FakeAnthropicServer;
import goose.provider.fake.FakeGoogleServer;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeOpenAiServer;
import goose.provider.fake.FakeReply;
import goose.provider.fake.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory: each provider reached through its documented settings, and clear errors when unset.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProvidersTest {
  @TempDir Path home;
  private FakeHttpServer fake;

  @AfterEach
  void stop() {
    if (fake != null) fake.close();
  }

  private Config config(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOSE_CONFIG_DIR", home.resolve("config").toString());
    for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
    return Config.load(env, home);
  }

  private RecordedRequest callOnce(Provider provider, FakeReply reply) {
    fake.enqueue(reply);
    Drained out = Drained.drain(provider.stream(ProviderContractTest.ask("hi")));
    assertThat(out.error()).isEmpty();
    assertThat(out.text()).isEqualTo("ok");
    return fake.lastRequest();
  }

  @Test
  void theOutputBudgetComesFromTheModelTableOrGooseMaxOutputTokens() {
    Provider sonnet =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "anthropic",
                "ANTHROPIC_API_KEY",
                "k",
                "GOOSE_MODEL",
                "claude-sonnet-4-5"));
    assertThat(sonnet.maxOutputTokens()).isEqualTo(64_000);
    assertThat(
            Providers.fromConfig(
                    config(
                        "GOOSE_PROVIDER",
                        "openai",
                        "OPENAI_API_KEY",
                        "k",
                        "GOOSE_MODEL",
                        "gpt-4.1"))
                .maxOutputTokens())
        .isEqualTo(32_768);
    assertThat(
            Providers.fromConfig(config("GOOSE_PROVIDER", "google", "GOOGLE_API_KEY", "k"))
                .maxOutputTokens())
        .isEqualTo(65_536); // gemini-2.5-flash, the default model
    assertThat(
            Providers.fromConfig(config("GOOSE_PROVIDER", "ollama", "GOOSE_MODEL", "my-llm"))
                .maxOutputTokens())
        .isEqualTo(ModelLimits.DEFAULT_OUTPUT);
    assertThat(
            Providers.fromConfig(
                    config(
                        "GOOSE_PROVIDER",
                        "anthropic",
                        "ANTHROPIC_API_KEY",
                        "k",
                        Providers.MAX_OUTPUT_TOKENS,
                        "8000"))
                .maxOutputTokens())
        .isEqualTo(8_000);
    assertThatThrownBy(
            () ->
                Providers.fromConfig(
                    config(
                        "GOOSE_PROVIDER",
                        "anthropic",
                        "ANTHROPIC_API_KEY",
                        "k",
                        Providers.MAX_OUTPUT_TOKENS,
                        "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Providers.MAX_OUTPUT_TOKENS);
  }

  @Test
  void aSideRequestMayUseAnotherModelOfTheSameProvider() {
    Provider titles =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "anthropic",
                "ANTHROPIC_API_KEY",
                "k",
                "GOOSE_MODEL",
                "claude-opus-4-1"),
            java.util.Optional.empty(),
            java.util.Optional.of("claude-haiku-4-5"));
    assertThat(titles.model()).isEqualTo("claude-haiku-4-5");
    assertThat(titles.maxOutputTokens()).isEqualTo(64_000);
  }

  @Test
  void onlyOpenAisOwnApiGetsThePromptCacheKeyByDefault() {
    fake = new FakeOpenAiServer();
    Provider compatible =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_API_KEY",
                "k",
                "OPENAI_HOST",
                fake.baseUri().toString()));
    fake.enqueue(FakeOpenAiServer.text("ok"));
    Drained.drain(compatible.stream(cached()));
    assertThat(fake.lastRequest().json().has("prompt_cache_key")).isFalse();
    assertThat(fake.lastRequest().json().has("max_tokens")).isTrue();

    Provider optedIn =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_API_KEY",
                "k",
                "OPENAI_HOST",
                fake.baseUri().toString(),
                "OPENAI_PROMPT_CACHE_KEY",
                "true"));
    fake.enqueue(FakeOpenAiServer.text("ok"));
    Drained.drain(optedIn.stream(cached()));
    assertThat(fake.lastRequest().json().path("prompt_cache_key").asText()).isEqualTo("s-1");
  }

  private static ProviderRequest cached() {
    return new ProviderRequest(
        "sys",
        java.util.List.of(goose.conversation.Message.user("hi")),
        java.util.List.of(),
        100,
        java.util.Optional.of("s-1"));
  }

  @Test
  void noProviderNamesGooseProvider() {
    assertThatThrownBy(() -> Providers.fromConfig(config()))
        .isInstanceOfSatisfying(
            ProviderNotConfiguredException.class,
            e -> {
              assertThat(e.missingSettings()).containsExactly("GOOSE_PROVIDER");
              assertThat(e.getMessage()).contains("GOOSE_PROVIDER", "anthropic", "groq");
            });
  }

  @Test
  void missingKeyNamesTheKey() {
    assertThatThrownBy(() -> Providers.fromConfig(config("GOOSE_PROVIDER", "anthropic")))
        .isInstanceOfSatisfying(
            ProviderNotConfiguredException.class,
            e -> {
              assertThat(e.missingSettings()).containsExactly("ANTHROPIC_API_KEY");
              assertThat(e.getMessage()).contains("ANTHROPIC_API_KEY");
            });
  }

  @Test
  void azureNamesEverySettingItLacks() {
    assertThatThrownBy(
            () ->
                Providers.fromConfig(
                    config("GOOSE_PROVIDER", "azure_openai", "AZURE_OPENAI_ENDPOINT", "https://x")))
        .isInstanceOfSatisfying(
            ProviderNotConfiguredException.class,
            e ->
                assertThat(e.missingSettings())
                    .containsExactly("AZURE_OPENAI_DEPLOYMENT_NAME", "AZURE_OPENAI_API_KEY"));
  }

  @Test
  void unknownProviderIsNamed() {
    assertThatThrownBy(() -> Providers.fromConfig(config("GOOSE_PROVIDER", "nonesuch")))
        .isInstanceOf(ProviderNotConfiguredException.class)
        .hasMessageContaining("nonesuch")
        .hasMessageContaining("openai");
  }

  @Test
  void aServerStartingWithAnUnknownProviderIsWarnedNamingTheChoices() {
    assertThat(Providers.startWarning(config("GOOSE_PROVIDER", "antropic")))
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .contains("GOOSE_PROVIDER")
                    .contains("\"antropic\" is not a provider: use one of anthropic,")
                    .contains("until it names one"));
    assertThat(Providers.startWarning(config("GOOSE_PROVIDER", "Gemini"))).isEmpty();
    assertThat(Providers.startWarning(config())).isEmpty();
  }

  @Test
  void anthropicFromConfigWithDefaultsAndLimitOverride() {
    fake = new FakeAnthropicServer();
    Provider p =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "anthropic",
                "ANTHROPIC_API_KEY",
                "ak-1",
                "ANTHROPIC_HOST",
                fake.baseUri().toString()));
    assertThat(p.name()).isEqualTo("anthropic");
    assertThat(p.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(p.contextLimit()).isEqualTo(200_000);
    RecordedRequest r = callOnce(p, FakeAnthropicServer.text("o", "k"));
    assertThat(r.header("x-api-key")).contains("ak-1");
    assertThat(r.json().path("model").asText()).isEqualTo("claude-sonnet-4-5");

    Provider limited =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "anthropic",
                "ANTHROPIC_API_KEY",
                "ak-1",
                "GOOSE_MODEL",
                "claude-opus-4-1",
                "GOOSE_CONTEXT_LIMIT",
                "50000"));
    assertThat(limited.model()).isEqualTo("claude-opus-4-1");
    assertThat(limited.contextLimit()).isEqualTo(50_000);
  }

  @Test
  void aSessionsChoiceOverridesTheConfiguredProviderAndModel() {
    Config c =
        config(
            "GOOSE_PROVIDER",
            "anthropic",
            "GOOSE_MODEL",
            "claude-opus-4-1",
            "ANTHROPIC_API_KEY",
            "ak-1",
            "OPENAI_API_KEY",
            "sk-1");
    Provider model = Providers.fromConfig(c, Optional.empty(), Optional.of("claude-haiku-4-5"));
    assertThat(model.name()).isEqualTo("anthropic");
    assertThat(model.model()).isEqualTo("claude-haiku-4-5");
    // Another provider without a model: that provider's default, not GOOSE_MODEL of the other.
    Provider other = Providers.fromConfig(c, Optional.of("openai"), Optional.empty());
    assertThat(other.name()).isEqualTo("openai");
    assertThat(other.model()).isEqualTo("gpt-4o");
    assertThatThrownBy(() -> Providers.fromConfig(c, Optional.of("google"), Optional.empty()))
        .isInstanceOf(ProviderNotConfiguredException.class);
  }

  @Test
  void keyFromTheSecretsFileIsUsed() {
    fake = new FakeAnthropicServer();
    Config c = config("GOOSE_PROVIDER", "anthropic", "ANTHROPIC_HOST", fake.baseUri().toString());
    c.setSecret("ANTHROPIC_API_KEY", "from-secrets-file");
    RecordedRequest r = callOnce(Providers.fromConfig(c), FakeAnthropicServer.text("ok"));
    assertThat(r.header("x-api-key")).contains("from-secrets-file");
  }

  @Test
  void openaiSendsOrganizationAndProjectAndHonoursBasePath() {
    fake = new FakeOpenAiServer();
    Provider p =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "openai",
                "OPENAI_API_KEY",
                "sk-o",
                "OPENAI_HOST",
                fake.baseUri().toString(),
                "OPENAI_BASE_PATH",
                "custom/v1/chat/completions",
                "OPENAI_ORGANIZATION",
                "org-7",
                "OPENAI_PROJECT",
                "proj-7"));
    assertThat(p.model()).isEqualTo("gpt-4o");
    RecordedRequest r = callOnce(p, FakeOpenAiServer.text("ok"));
    assertThat(r.path()).isEqualTo("/custom/v1/chat/completions");
    assertThat(r.header("authorization")).contains("Bearer sk-o");
    assertThat(r.header("openai-organization")).contains("org-7");
    assertThat(r.header("openai-project")).contains("proj-7");
  }

  @Test
  void azureUsesDeploymentPathApiVersionAndApiKeyHeader() {
    fake = new FakeOpenAiServer();
    Provider p =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "azure_openai",
                "AZURE_OPENAI_ENDPOINT",
                fake.baseUri() + "/",
                "AZURE_OPENAI_DEPLOYMENT_NAME",
                "my-gpt",
                "AZURE_OPENAI_API_KEY",
                "az-key",
                "AZURE_OPENAI_API_VERSION",
                "2025-01-01-preview"));
    assertThat(p.model()).isEqualTo("my-gpt");
    RecordedRequest r = callOnce(p, FakeOpenAiServer.text("ok"));
    assertThat(r.path()).isEqualTo("/openai/deployments/my-gpt/chat/completions");
    assertThat(r.query()).contains("api-version=2025-01-01-preview");
    assertThat(r.header("api-key")).contains("az-key");
    assertThat(r.header("authorization")).isEmpty();
  }

  @Test
  void ollamaNeedsNoKeyAndAcceptsAHostWithoutScheme() {
    fake = new FakeOpenAiServer();
    Provider p =
        Providers.fromConfig(
            config("GOOSE_PROVIDER", "ollama", "OLLAMA_HOST", "127.0.0.1:" + fake.port()));
    assertThat(p.model()).isEqualTo("qwen3");
    RecordedRequest r = callOnce(p, FakeOpenAiServer.text("ok"));
    assertThat(r.path()).isEqualTo("/v1/chat/completions");
    assertThat(r.header("authorization")).isEmpty();
  }

  @Test
  void openrouterUsesItsApiPath() {
    fake = new FakeOpenAiServer();
    Provider p =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "openrouter",
                "OPENROUTER_API_KEY",
                "or-k",
                "OPENROUTER_HOST",
                fake.baseUri().toString()));
    RecordedRequest r = callOnce(p, FakeOpenAiServer.text("ok"));
    assertThat(r.path()).isEqualTo("/api/v1/chat/completions");
    assertThat(r.header("authorization")).contains("Bearer or-k");
    assertThat(p.contextLimit()).isEqualTo(200_000);
  }

  @Test
  void googleFromConfig() {
    fake = new FakeGoogleServer();
    Provider p =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "google",
                "GOOGLE_API_KEY",
                "g-k",
                "GOOGLE_HOST",
                fake.baseUri().toString()));
    RecordedRequest r = callOnce(p, FakeGoogleServer.text("ok"));
    assertThat(r.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(r.header("x-goog-api-key")).contains("g-k");
  }

  @Test
  void declarativeProviderFromAFileInTheConfigDir() throws IOException {
    fake = new FakeOpenAiServer();
    Path dir = Files.createDirectories(home.resolve("config/custom_providers"));
    Files.writeString(
        dir.resolve("acme.json"),
        """
        {"name": "acme", "engine": "openai", "display_name": "Acme AI",
         "base_url": "%s/acme/v1", "api_key_env": "ACME_API_KEY",
         "models": [{"name": "acme-large", "context_limit": 64000}, {"name": "acme-small", "context_limit": 8000}],
         "headers": {"X-Acme-Tenant": "t-42"}}
        """
            .formatted(fake.baseUri()));
    assertThatThrownBy(() -> Providers.fromConfig(config("GOOSE_PROVIDER", "acme")))
        .isInstanceOfSatisfying(
            ProviderNotConfiguredException.class,
            e -> assertThat(e.missingSettings()).containsExactly("ACME_API_KEY"));
    Provider p =
        Providers.fromConfig(config("GOOSE_PROVIDER", "acme", "ACME_API_KEY", "acme-secret"));
    assertThat(p.model()).isEqualTo("acme-large");
    assertThat(p.contextLimit()).isEqualTo(64_000);
    RecordedRequest r = callOnce(p, FakeOpenAiServer.text("ok"));
    assertThat(r.path()).isEqualTo("/acme/v1/chat/completions");
    assertThat(r.header("authorization")).contains("Bearer acme-secret");
    assertThat(r.header("x-acme-tenant")).contains("t-42");
    assertThat(Providers.known(config())).contains("acme", "groq", "lmstudio");
  }

  @Test
  void brokenProviderFileNamesTheFileAndTheProblem() throws IOException {
    Path dir = Files.createDirectories(home.resolve("config/custom_providers"));
    Files.writeString(dir.resolve("bad.json"), "{\"name\": \"bad\", \"engine\": \"openai\"}");
    assertThatThrownBy(() -> Providers.fromConfig(config("GOOSE_PROVIDER", "bad")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.json")
        .hasMessageContaining("base_url");
  }

  @Test
  void shippedProvidersNeedTheirKeyAndCanBeRedirected() {
    assertThatThrownBy(() -> Providers.fromConfig(config("GOOSE_PROVIDER", "groq")))
        .isInstanceOfSatisfying(
            ProviderNotConfiguredException.class,
            e -> assertThat(e.missingSettings()).containsExactly("GROQ_API_KEY"));
    assertThatThrownBy(() -> Providers.fromConfig(config("GOOSE_PROVIDER", "lmstudio")))
        .isInstanceOfSatisfying(
            ProviderNotConfiguredException.class,
            e -> assertThat(e.missingSettings()).containsExactly("GOOSE_MODEL"));
    fake = new FakeOpenAiServer();
    Provider p =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "mistral",
                "MISTRAL_API_KEY",
                "m-k",
                "MISTRAL_BASE_URL",
                fake.baseUri() + "/v1"));
    RecordedRequest r = callOnce(p, FakeOpenAiServer.script().text("ok").withoutUsage().build());
    assertThat(r.path()).isEqualTo("/v1/chat/completions");
    assertThat(r.json().has("stream_options")).as("Mistral refuses stream_options").isFalse();
  }

  @Test
  void apiTimeoutAndMaxRetriesComeFromConfig() {
    fake = new FakeAnthropicServer();
    Provider p =
        Providers.fromConfig(
            config(
                "GOOSE_PROVIDER",
                "anthropic",
                "ANTHROPIC_API_KEY",
                "k",
                "ANTHROPIC_HOST",
                fake.baseUri().toString(),
                "API_TIMEOUT",
                "2", // not less: at load 20 the 500 answer itself once took over 0.5 s
                "MAX_RETRIES",
                "0"));
    fake.enqueue(FakeAnthropicServer.serverError());
    assertThat(Drained.drain(p.stream(ProviderContractTest.ask("hi"))).failure().kind())
        .isEqualTo(ProviderException.Kind.SERVER);
    assertThat(fake.requests()).hasSize(1);
    fake.enqueue(FakeAnthropicServer.text("never").stallAfter(0));
    assertThat(Drained.drain(p.stream(ProviderContractTest.ask("hi"))).failure().kind())
        .isEqualTo(ProviderException.Kind.TIMEOUT);
  }
}
