package goose.cli;

import goose.config.ConfigException;
import goose.extension.ExtensionInfo;
import goose.extension.ExtensionManager;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * goose's {@code --with-builtin NAME,...} (a picocli mixin of {@code goose acp} and {@code goose
 * serve}): built-in extensions turned on for this process only, config.yaml left as it is. An
 * unknown name stops the start, naming the built-ins.
 */
final class WithBuiltin {
  @Option(
      names = "--with-builtin",
      paramLabel = "NAME",
      description =
          "Built-in extensions to turn on for this run, comma-separated (developer, memory, todo)")
  List<String> values = new ArrayList<>();

  List<String> names() {
    List<String> names = new ArrayList<>();
    for (String v : values)
      for (String n : v.split(",", -1)) if (!n.isBlank()) names.add(n.strip());
    return names;
  }

  void enable(ExtensionManager extensions) {
    List<String> builtins =
        extensions.list().stream()
            .filter(x -> x.type().equals("builtin"))
            .map(ExtensionInfo::name)
            .toList();
    for (String name : names()) {
      if (!builtins.contains(name))
        throw new ConfigException(
            "--with-builtin "
                + name
                + ": no built-in extension of that name (built-ins: "
                + String.join(", ", builtins)
                + ")");
      extensions.enableUnsaved(name);
    }
  }
}
