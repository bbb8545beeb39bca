package goose.provider.configured;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigValue;
import goose.provider.HttpProvider;
import goose.provider.ModelLimits;
import goose.provider.Provider;
import goose.provider.ProviderHttp;
import goose.provider.ProviderNotConfiguredException;
import goose.provider.ProviderSettings;
import goose.provider.RetryPolicy;
import goose.provider.anthropic.AnthropicProvider;
import goose.provider.google.GoogleProvider;
import goose.provider.openai.DeclarativeProvider;
import goose.provider.openai.DeclarativeProviders;
import goose.provider.openai.OpenAiEndpoint;
import goose.provider.openai.OpenAiProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds the configured {@link Provider}: {@code GOOSE_PROVIDER} picks it, {@code GOOSE_MODEL} its
 * model (each has a default), {@code GOOSE_CONTEXT_LIMIT} overrides the model table, {@code
 * api_timeout} and {@code max_retries} shape its HTTP calls. Keys come from {@link Config#secret}.
 * When something is missing, {@link ProviderNotConfiguredException} says exactly which settings to
 * set.
 */
public final class Providers {
  /** The providers with their own code, in the order shown to people. */
  public static final List<String> BUILT_IN =
      List.of("anthropic", "openai", "google", "ollama", "azure_openai", "openrouter");

  private static final Map<String, String> DEFAULT_MODELS =
      Map.of(
          "anthropic", AnthropicProvider.DEFAULT_MODEL,
          "openai", "gpt-4o",
          "google", GoogleProvider.DEFAULT_MODEL,
          "ollama", "qwen3",
          "openrouter", "anthropic/claude-sonnet-4.5");

  /** Overrides the model table's output budget ({@code max_tokens}) for every model. */
  public static final String MAX_OUTPUT_TOKENS = "GOOSE_MAX_OUTPUT_TOKENS";

  private Providers() {}

  public static Provider fromConfig(Config config) {
    return fromConfig(config, http(config));
  }

  /** The provider of a session's own choice, with the configured timeouts and retries. */
  public static Provider fromConfig(
      Config config, Optional<String> provider, Optional<String> model) {
    return fromConfig(config, http(config), provider, model);
  }

  private static ProviderHttp http(Config config) {
    return ProviderHttp.create(
        config.getSeconds("api_timeout", Duration.ofSeconds(60)),
        RetryPolicy.of(config.getInt("max_retries", 3, 0, 100)));
  }

  /**
   * The configured provider using {@code http} instead of one built from {@code api_timeout} and
   * {@code max_retries} (to share one client, or for tests with short back-offs).
   */
  public static Provider fromConfig(Config config, ProviderHttp http) {
    return fromConfig(config, http, Optional.empty(), Optional.empty());
  }

  /**
   * The provider a session chose: {@code provider} instead of {@code GOOSE_PROVIDER}, {@code model}
   * instead of {@code GOOSE_MODEL} (a session that picks another provider without a model gets that
   * provider's default model, not the configured one's). Empty choices follow the configuration.
   */
  public static Provider fromConfig(
      Config config, ProviderHttp http, Optional<String> provider, Optional<String> model) {
    String name =
        provider
            .or(() -> config.get("GOOSE_PROVIDER"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .orElseThrow(
                () ->
                    new ProviderNotConfiguredException(
                        "No LLM provider is configured: set GOOSE_PROVIDER (one of "
                            + String.join(", ", known(config))
                            + ") and that provider's API key, for example GOOSE_PROVIDER=anthropic with ANTHROPIC_API_KEY",
                        List.of("GOOSE_PROVIDER")));
    Settings s =
        new Settings(config, name.toLowerCase(Locale.ROOT), http, model, provider.isPresent());
    return switch (canonical(s.name)) {
      case "anthropic" -> anthropic(s);
      case "openai" -> openai(s);
      case "google" -> google(s);
      case "ollama" -> ollama(s);
      case "azure_openai" -> azure(s);
      case "openrouter" -> openrouter(s);
      default -> declarative(s);
    };
  }

  /** A built-in provider's name for its alias ({@code gemini} is {@code google}), else the name. */
  private static String canonical(String name) {
    return name.equals("gemini") ? "google" : name;
  }

  /**
   * "one of ..., or describe it in a file in ...": what the known providers are and where another
   * one is described, for the errors that name an unknown provider.
   */
  private static String choices(Config config) {
    return "one of "
        + String.join(", ", known(config))
        + ", or describe it in a file in "
        + config.paths().configDir().resolve(DeclarativeProviders.DIRECTORY);
  }

  /** Built-in and declarative provider names. */
  public static List<String> known(Config config) {
    List<String> all = new ArrayList<>(BUILT_IN);
    DeclarativeProviders.load(config.paths().configDir()).keySet().stream()
        .filter(n -> !all.contains(n))
        .forEach(all::add);
    return all;
  }

  /**
   * The provider {@code value} names, in lower case, when it is a built-in or declarative one (or
   * blank: no provider); a {@link ConfigException} listing the known ones otherwise. {@code goose
   * configure set GOOSE_PROVIDER} checks with it; a server starts without the check and its first
   * turn answers the same list.
   */
  public static String checkName(Config config, ConfigValue value) {
    String name = value.value().strip().toLowerCase(Locale.ROOT);
    if (name.isEmpty() || known(config).contains(canonical(name))) return name;
    throw ConfigException.badValue(
        value, "\"" + value.value().strip() + "\" is not a provider: use " + choices(config));
  }

  /**
   * The warning a server logs at start when {@code GOOSE_PROVIDER} names no provider ({@code
   * antropic}): it starts all the same (the provider can be set while it runs, and a session can
   * choose its own), but every turn on the configured one would fail.
   */
  public static Optional<String> startWarning(Config config) {
    Optional<ConfigValue> value = config.lookup("GOOSE_PROVIDER");
    if (value.isEmpty()) return Optional.empty();
    try {
      checkName(config, value.get());
      return Optional.empty();
    } catch (ConfigException e) {
      return Optional.of(
          e.getMessage() + " (turns on the configured provider fail until it names one)");
    }
  }

  private static Provider anthropic(Settings s) {
    String key = s.require("ANTHROPIC_API_KEY");
    s.done();
    OptionalInt budget =
        s.config.getBoolean("CLAUDE_THINKING_ENABLED", false)
            ? OptionalInt.of(s.config.getInt("CLAUDE_THINKING_BUDGET", 16_000, 1_024, 1_000_000))
            : OptionalInt.empty();
    return new AnthropicProvider(
        s.settings(s.model(Optional.empty())),
        s.config.get("ANTHROPIC_HOST", AnthropicProvider.DEFAULT_HOST),
        key,
        budget);
  }

  private static Provider openai(Settings s) {
    String key = s.require("OPENAI_API_KEY");
    s.done();
    String host = s.config.get("OPENAI_HOST", "https://api.openai.com");
    Map<String, String> headers = new LinkedHashMap<>();
    s.config
        .get("OPENAI_ORGANIZATION")
        .filter(v -> !v.isBlank())
        .ifPresent(v -> headers.put("OpenAI-Organization", v));
    s.config
        .get("OPENAI_PROJECT")
        .filter(v -> !v.isBlank())
        .ifPresent(v -> headers.put("OpenAI-Project", v));
    // OpenAI's own API wants max_completion_tokens (reasoning models refuse max_tokens); servers
    // reached through a custom OPENAI_HOST are usually compatible ones that only know max_tokens.
    boolean official = host.contains("api.openai.com");
    URI url = HttpProvider.join(host, s.config.get("OPENAI_BASE_PATH", "v1/chat/completions"));
    return new OpenAiProvider(
        s.settings(s.model(Optional.empty())),
        OpenAiEndpoint.bearer(
                url, Optional.of(key), headers, official ? "max_completion_tokens" : "max_tokens")
            .withPromptCacheKey(s.config.getBoolean("OPENAI_PROMPT_CACHE_KEY", official)));
  }

  private static Provider google(Settings s) {
    String key = s.require("GOOGLE_API_KEY");
    s.done();
    return new GoogleProvider(
        s.settings(s.model(Optional.empty())),
        s.config.get("GOOGLE_HOST", GoogleProvider.DEFAULT_HOST),
        key);
  }

  private static Provider ollama(Settings s) {
    String host = s.config.get("OLLAMA_HOST", "http://localhost:11434").strip();
    if (!host.contains("://")) host = "http://" + host;
    URI url = HttpProvider.join(host, "v1/chat/completions");
    return new OpenAiProvider(
        s.settings(s.model(Optional.empty())),
        OpenAiEndpoint.bearer(url, Optional.empty(), Map.of(), "max_tokens"));
  }

  private static Provider azure(Settings s) {
    String endpoint = s.require("AZURE_OPENAI_ENDPOINT");
    String deployment = s.require("AZURE_OPENAI_DEPLOYMENT_NAME");
    String key = s.require("AZURE_OPENAI_API_KEY");
    s.done();
    String version = s.config.get("AZURE_OPENAI_API_VERSION", "2024-10-21");
    URI url =
        URI.create(
            HttpProvider.join(
                    endpoint,
                    "openai/deployments/"
                        + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
                        + "/chat/completions")
                + "?api-version="
                + URLEncoder.encode(version, StandardCharsets.UTF_8));
    OpenAiEndpoint e =
        new OpenAiEndpoint(
            url, Map.of("api-key", key), List.of(key), "max_completion_tokens", true, false);
    return new OpenAiProvider(s.settings(s.model(Optional.of(deployment))), e);
  }

  private static Provider openrouter(Settings s) {
    String key = s.require("OPENROUTER_API_KEY");
    s.done();
    URI url =
        HttpProvider.join(
            s.config.get("OPENROUTER_HOST", "https://openrouter.ai"), "api/v1/chat/completions");
    Map<String, String> headers =
        Map.of("HTTP-Referer", "https://block.github.io/goose", "X-Title", "goose");
    return new OpenAiProvider(
        s.settings(s.model(Optional.empty())),
        OpenAiEndpoint.bearer(url, Optional.of(key), headers, "max_tokens"));
  }

  private static Provider declarative(Settings s) {
    DeclarativeProvider d =
        DeclarativeProviders.find(s.config.paths().configDir(), s.name)
            .orElseThrow(
                () ->
                    new ProviderNotConfiguredException(
                        "Unknown provider \""
                            + s.name
                            + "\" in GOOSE_PROVIDER: set it to "
                            + choices(s.config),
                        List.of("GOOSE_PROVIDER")));
    Optional<String> key = d.apiKeyEnv().map(s::require);
    Optional<String> model =
        s.configuredModel()
            .or(() -> d.models().stream().findFirst().map(DeclarativeProvider.Model::name));
    if (model.isEmpty()) s.missing.add("GOOSE_MODEL");
    s.done();
    String base = s.config.get(s.name.toUpperCase(Locale.ROOT) + "_BASE_URL", "");
    DeclarativeProvider effective =
        base.isBlank()
            ? d
            : new DeclarativeProvider(
                d.name(),
                d.displayName(),
                base,
                d.apiKeyEnv(),
                d.models(),
                d.headers(),
                d.streamUsage(),
                d.promptCacheKey());
    OpenAiEndpoint endpoint =
        OpenAiEndpoint.bearer(effective.completionsUrl(), key, d.headers(), "max_tokens")
            .withStreamUsage(d.streamUsage())
            .withPromptCacheKey(d.promptCacheKey());
    int limit =
        s.config.getInt(
            "GOOSE_CONTEXT_LIMIT",
            d.contextLimitOf(model.get()).orElse(ModelLimits.contextLimit(model.get())),
            1,
            Integer.MAX_VALUE);
    return new OpenAiProvider(
        new ProviderSettings(s.name, model.get(), limit, s.maxOutputTokens(model.get()), s.http),
        endpoint);
  }

  /** The settings being read for one provider, collecting every missing one before failing. */
  private static final class Settings {
    final Config config;
    final String name;
    final ProviderHttp http;
    final Optional<String> chosenModel;
    final boolean chosenProvider;
    final List<String> missing = new ArrayList<>();

    Settings(
        Config config,
        String name,
        ProviderHttp http,
        Optional<String> chosenModel,
        boolean chosenProvider) {
      this.config = config;
      this.name = name;
      this.http = http;
      this.chosenModel = chosenModel.map(String::strip).filter(m -> !m.isEmpty());
      this.chosenProvider = chosenProvider;
    }

    /** The value of a required setting (secrets included), or "" noted as missing. */
    String require(String key) {
      Optional<String> v = config.secret(key).map(String::strip);
      if (v.isEmpty()) missing.add(key);
      return v.orElse("");
    }

    /** Throws when any required setting was missing. */
    void done() {
      if (missing.isEmpty()) return;
      throw new ProviderNotConfiguredException(
          "Provider \""
              + name
              + "\" is not configured: set "
              + String.join(", ", missing)
              + " (environment variable, or config.yaml / secrets.yaml in "
              + config.paths().configDir()
              + ")",
          missing);
    }

    /** The session's model, else GOOSE_MODEL unless the session chose another provider. */
    Optional<String> configuredModel() {
      return chosenModel.or(
          () ->
              chosenProvider
                  ? Optional.empty()
                  : config.get("GOOSE_MODEL").filter(m -> !m.isBlank()));
    }

    String model(Optional<String> fallback) {
      return configuredModel()
          .or(() -> fallback)
          .orElseGet(() -> DEFAULT_MODELS.getOrDefault(name, "gpt-4o"));
    }

    ProviderSettings settings(String model) {
      return new ProviderSettings(
          name,
          model,
          config.getInt(
              "GOOSE_CONTEXT_LIMIT", ModelLimits.contextLimit(model), 1, Integer.MAX_VALUE),
          maxOutputTokens(model),
          http);
    }

    /** GOOSE_MAX_OUTPUT_TOKENS, else the model's documented maximum. */
    int maxOutputTokens(String model) {
      return config.getInt(
          MAX_OUTPUT_TOKENS, ModelLimits.maxOutputTokens(model), 1, Integer.MAX_VALUE);
    }
  }
}
