package goose.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository checkout the tests run in, and YAML reading for its deployment files. */
public final class Repo {
  public static final Path ROOT = findRoot();
  private static final ObjectMapper YAML = new YAMLMapper();

  private Repo() {}

  public static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  public static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file; a parse error fails with the file and line. */
  public static List<JsonNode> yamlDocuments(String relative) {
    try (JsonParser parser = YAML.getFactory().createParser(path(relative).toFile())) {
      return documents(parser);
    } catch (IOException e) {
      throw new AssertionError(relative + ": not valid YAML: " + e.getMessage(), e);
    }
  }

  /** Every document of a YAML text (kubectl's output, say). */
  public static List<JsonNode> yamlDocumentsOf(String text) {
    try (JsonParser parser = YAML.getFactory().createParser(text)) {
      return documents(parser);
    } catch (IOException e) {
      throw new AssertionError("not valid YAML: " + e.getMessage(), e);
    }
  }

  private static List<JsonNode> documents(JsonParser parser) throws IOException {
    return YAML.readValues(parser, JsonNode.class).readAll().stream()
        .filter(n -> !n.isNull() && !n.isMissingNode())
        .toList();
  }

  public static JsonNode yaml(String relative) {
    List<JsonNode> docs = yamlDocuments(relative);
    if (docs.size() != 1)
      throw new AssertionError(relative + ": expected one YAML document, found " + docs.size());
    return docs.getFirst();
  }

  public static JsonNode yamlText(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not valid YAML: " + e.getMessage(), e);
    }
  }

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("goose-cli"))) return dir;
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "tests must run inside the repository (no pom.xml with goose-cli/ above "
            + Path.of("").toAbsolutePath()
            + ")");
  }
}
