package goose.provider.openai;

import goose.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The declarative providers: those shipped in this jar (groq, deepseek, xai, mistral, lmstudio) and
 * one {@code *.json} file per provider in {@code <config dir>/custom_providers/}, which win over a
 * shipped one of the same name.
 */
public final class DeclarativeProviders {
  public static final String DIRECTORY = "custom_providers";
  static final List<String> SHIPPED = List.of("groq", "deepseek", "xai", "mistral", "lmstudio");

  private DeclarativeProviders() {}

  /** All known declarative providers by name, custom ones last (overriding). */
  public static Map<String, DeclarativeProvider> load(Path configDir) {
    Map<String, DeclarativeProvider> all = new LinkedHashMap<>();
    for (String name : SHIPPED) {
      DeclarativeProvider p = shipped(name);
      all.put(p.name(), p);
    }
    Path dir = configDir.resolve(DIRECTORY);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file :
            files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
          DeclarativeProvider p =
              DeclarativeProvider.parse(Files.readString(file), file.toString());
          all.put(p.name(), p);
        }
      } catch (IOException e) {
        throw new ConfigException(dir + ": cannot read: " + e.getMessage(), e);
      }
    }
    return all;
  }

  public static Optional<DeclarativeProvider> find(Path configDir, String name) {
    return Optional.ofNullable(load(configDir).get(name));
  }

  private static DeclarativeProvider shipped(String name) {
    String resource = "declarative/" + name + ".json";
    try (InputStream in = DeclarativeProviders.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return DeclarativeProvider.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + resource, e);
    }
  }
}
