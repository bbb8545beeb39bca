package goose.cli;

import goose.config.ConfigException;
import goose.extension.ExtensionManager;
import java.util.ArrayList;
import java.util.List;

/**
 * goose's {@code --with-builtin NAME,...}: built-in extensions turned on for this process only
 * (config.yaml is left as it is). An unknown name stops the start, naming the built-ins.
 */
final class BuiltinNames {
  private BuiltinNames() {}

  static List<String> split(List<String> values) {
    List<String> names = new ArrayList<>();
    for (String v : values) for (String n : v.split(",")) if (!n.isBlank()) names.add(n.strip());
    return names;
  }

  static void enable(ExtensionManager extensions, List<String> names) {
    for (String name : names) {
      boolean builtin =
          extensions.list().stream()
              .anyMatch(x -> x.name().equals(name) && x.type().equals("builtin"));
      if (!builtin)
        throw new ConfigException(
            "--with-builtin "
                + name
                + ": no built-in extension of that name (built-ins: "
                + String.join(
                    ", ",
                    extensions.list().stream()
                        .filter(x -> x.type().equals("builtin"))
                        .map(x -> x.name())
                        .toList())
                + ")");
      extensions.enableUnsaved(name);
    }
  }
}
