package goose.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keys of config.yaml or secrets.yaml that look like a setting goosed knows, mistyped ({@code
 * GOOSE_PROVDER}): any other key may be set (tools and extensions read their own), so such a key is
 * taken as written and would be ignored without a word. The environment is left out: it holds
 * GOOSE_* variables of the launchers and tests that are no settings.
 */
public final class UnknownSettings {
  private static final List<String> KNOWN = ConfigKey.KNOWN.stream().map(ConfigKey::name).toList();

  private UnknownSettings() {}

  /** One line per such key: where it is, and the setting probably meant. */
  public static List<String> warnings(Config config) {
    List<String> warnings = new ArrayList<>();
    for (ConfigValue value : config.effective()) {
      if (value.source() != ConfigSource.FILE && value.source() != ConfigSource.SECRETS) continue;
      String key = value.key().toUpperCase(Locale.ROOT);
      if (!key.startsWith("GOOSE_") || KNOWN.contains(key)) continue;
      Typos.meant(key, KNOWN)
          .ifPresent(
              meant ->
                  warnings.add(
                      value.origin()
                          + ": "
                          + value.key()
                          + " is not a setting goosed knows, and is ignored: did you mean "
                          + meant
                          + "?"));
    }
    return warnings;
  }
}
