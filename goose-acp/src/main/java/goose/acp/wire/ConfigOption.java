package goose.acp.wire;

import java.util.List;
import java.util.Optional;

/** A session setting the client may change with {@code session/set_config_option}: a select. */
public record ConfigOption(
    String id,
    String name,
    Optional<String> description,
    Optional<String> category,
    String type,
    String currentValue,
    List<Choice> options) {

  public static ConfigOption select(
      String id, String name, Optional<String> category, String current, List<Choice> options) {
    return new ConfigOption(id, name, Optional.empty(), category, "select", current, options);
  }

  public record Choice(String value, String name, Optional<String> description) {}
}
