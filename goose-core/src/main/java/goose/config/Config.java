package goose.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration, layered as in goose: environment variable &gt; {@code config.yaml}
 * &gt; default. A key {@code k} in the YAML is overridden by the environment variable {@code K}
 * (upper case); a variable set to the empty string counts as unset. Secrets come from the
 * environment or {@code secrets.yaml} (mode 0600) and are never logged.
 *
 * <p>Thread-safe: writes ({@link #set}, {@link #setNode}, {@link #setSecret}) persist at once and
 * are seen by later reads.
 */
public final class Config {
  private final Map<String, String> env;
  private final GoosePaths paths;
  private final YamlFile configFile;
  private final YamlFile secretsFile;
  private ObjectNode fileValues;
  private ObjectNode secretValues;

  private Config(Map<String, String> env, GoosePaths paths) {
    this.env = Map.copyOf(env);
    this.paths = paths;
    this.configFile = new YamlFile(paths.configFile(), false);
    this.secretsFile = new YamlFile(paths.secretsFile(), true);
    this.fileValues = configFile.readAsWritten();
    this.secretValues = secretsFile.readAsWritten();
  }

  /** Loads the configuration for this environment; a broken file throws {@link ConfigException}. */
  public static Config load(Map<String, String> env, Path home) {
    return new Config(env, GoosePaths.resolve(env, home));
  }

  public static Config fromEnvironment() {
    return load(System.getenv(), GoosePaths.home(System.getenv()));
  }

  public GoosePaths paths() {
    return paths;
  }

  /**
   * The effective value of {@code key} with its provenance, or empty when unset and without
   * default.
   */
  public synchronized Optional<ConfigValue> lookup(String key) {
    boolean secret = isSecret(key);
    String envName = key.toUpperCase(Locale.ROOT);
    String fromEnv = env.get(envName);
    // Set to the empty string counts as unset (Compose writes KEY: ""), so the file still applies.
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Optional.of(
          new ConfigValue(
              key, fromEnv, ConfigSource.ENV, "environment variable " + envName, secret));
    }
    Optional<String> fromFile = scalar(fileValues, key);
    if (fromFile.isPresent()) {
      return Optional.of(
          new ConfigValue(
              key, fromFile.get(), ConfigSource.FILE, configFile.path().toString(), secret));
    }
    Optional<String> fromSecrets = scalar(secretValues, key);
    if (fromSecrets.isPresent()) {
      return Optional.of(
          new ConfigValue(
              key, fromSecrets.get(), ConfigSource.SECRETS, secretsFile.path().toString(), true));
    }
    return known(key)
        .flatMap(ConfigKey::defaultValue)
        .map(d -> new ConfigValue(key, d, ConfigSource.DEFAULT, "default", secret));
  }

  /** True when the environment sets {@code key} (to a non-empty value) and so overrides files. */
  public boolean setByEnvironment(String key) {
    String value = env.get(key.toUpperCase(Locale.ROOT));
    return value != null && !value.isEmpty();
  }

  public Optional<String> get(String key) {
    return lookup(key).map(ConfigValue::value);
  }

  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  /** A secret: environment, then secrets.yaml (then config.yaml, where some people keep keys). */
  public Optional<String> secret(String key) {
    return get(key).filter(v -> !v.isBlank());
  }

  public int getInt(String key, int fallback, int min, int max) {
    return lookup(key).map(v -> SettingValues.parseInt(v, min, max)).orElse(fallback);
  }

  public long getLong(String key, long fallback, long min, long max) {
    return lookup(key).map(v -> SettingValues.parseLong(v, min, max)).orElse(fallback);
  }

  public double getDouble(String key, double fallback, double min, double max) {
    return lookup(key).map(v -> SettingValues.parseDouble(v, min, max)).orElse(fallback);
  }

  /** One of {@code choices} (compared case-insensitively, returned in lower case), or fallback. */
  public String getChoice(String key, String fallback, List<String> choices) {
    return lookup(key)
        .filter(v -> !v.value().isBlank())
        .map(v -> SettingValues.parseChoice(v, choices))
        .orElse(fallback);
  }

  /** A duration given in (possibly fractional) seconds. */
  public Duration getSeconds(String key, Duration fallback) {
    return lookup(key).map(SettingValues::parseSeconds).orElse(fallback);
  }

  /** Booleans as goose reads them (YAML style): true/false, yes/no, on/off, 1/0. */
  public boolean getBoolean(String key, boolean fallback) {
    return lookup(key).map(SettingValues::parseBoolean).orElse(fallback);
  }

  /**
   * Checks every known typed setting (port, timeouts, limits, formats) wherever it comes from, so a
   * bad value stops a start before anything binds. Throws {@link ConfigException} naming the first.
   */
  public void validate() {
    for (String key : SettingRules.checkedKeys()) lookup(key).ifPresent(SettingRules::check);
  }

  /**
   * A structured value of config.yaml (for example {@code extensions}); environment does not apply.
   */
  public synchronized Optional<JsonNode> node(String key) {
    JsonNode node = fileValues.get(key);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.deepCopy());
  }

  /**
   * Writes {@code key: value} to config.yaml after checking it against the key's type rule. A
   * spelling of the same key in another case ({@code goose_model} for {@code GOOSE_MODEL}) is
   * replaced, so the file never holds two competing values.
   */
  public synchronized void set(String key, String value) {
    SettingRules.check(new ConfigValue(key, value, ConfigSource.FILE, "", false));
    writeReplacing(configFile, key, value);
    fileValues = configFile.readAsWritten();
  }

  public synchronized void setNode(String key, JsonNode value) {
    ObjectNode next = configFile.read();
    next.set(key, value);
    configFile.write(next);
    fileValues = configFile.readAsWritten();
  }

  /** Writes {@code key: value} to secrets.yaml (created owner-only, mode 0600). */
  public synchronized void setSecret(String key, String value) {
    writeReplacing(secretsFile, key, value);
    secretValues = secretsFile.readAsWritten();
  }

  /**
   * Removes {@code key} (in any case) from config.yaml and secrets.yaml; true when it was there.
   */
  public synchronized boolean unset(String key) {
    boolean removed = false;
    for (YamlFile file : List.of(configFile, secretsFile)) {
      ObjectNode next = file.read();
      if (removeAnyCase(next, key)) {
        file.write(next);
        removed = true;
      }
    }
    fileValues = configFile.readAsWritten();
    secretValues = secretsFile.readAsWritten();
    return removed;
  }

  private static void writeReplacing(YamlFile file, String key, String value) {
    ObjectNode next = file.read();
    removeAnyCase(next, key);
    next.put(key, value);
    file.write(next);
  }

  private static boolean removeAnyCase(ObjectNode values, String key) {
    List<String> spellings = new ArrayList<>();
    values
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (name.equalsIgnoreCase(key)) spellings.add(name);
            });
    values.remove(spellings);
    return !spellings.isEmpty();
  }

  /**
   * Every effective setting: the known keys (with defaults), every key of config.yaml and
   * secrets.yaml, and every {@code GOOSE_*} variable of the environment. Sorted by key.
   */
  public synchronized List<ConfigValue> effective() {
    Map<String, ConfigValue> all = new LinkedHashMap<>();
    // Keyed by upper-case name: goose_model in the YAML and GOOSE_MODEL are one setting.
    for (ConfigKey key : ConfigKey.KNOWN)
      lookup(key.name()).ifPresent(v -> all.put(v.key().toUpperCase(Locale.ROOT), v));
    for (ObjectNode values : List.of(fileValues, secretValues)) {
      for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (values.get(key).isValueNode())
          lookup(key).ifPresent(v -> all.putIfAbsent(v.key().toUpperCase(Locale.ROOT), v));
      }
    }
    env.keySet().stream()
        .filter(k -> k.startsWith("GOOSE_"))
        .forEach(k -> lookup(k).ifPresent(v -> all.putIfAbsent(k, v)));
    List<ConfigValue> sorted = new ArrayList<>(all.values());
    sorted.sort((a, b) -> a.key().compareToIgnoreCase(b.key()));
    return sorted;
  }

  public boolean isSecret(String key) {
    return known(key).map(ConfigKey::secret).orElse(false)
        || ConfigKey.looksSecret(key)
        || secretValues.has(key);
  }

  private static Optional<ConfigKey> known(String key) {
    return ConfigKey.KNOWN.stream().filter(k -> k.name().equalsIgnoreCase(key)).findFirst();
  }

  /**
   * A scalar under {@code key}, matched exactly, else case-insensitively (GOOSE_MODEL vs
   * goose_model).
   */
  private static Optional<String> scalar(ObjectNode values, String key) {
    JsonNode node = values.get(key);
    if (node == null) {
      for (Map.Entry<String, JsonNode> e : values.properties()) {
        if (e.getKey().equalsIgnoreCase(key)) {
          node = e.getValue();
          break;
        }
      }
    }
    if (node == null || node.isNull() || !node.isValueNode()) return Optional.empty();
    return Optional.of(node.asText());
  }
}
