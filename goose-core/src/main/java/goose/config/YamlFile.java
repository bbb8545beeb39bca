package goose.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import goose.json.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML mapping file (config.yaml, secrets.yaml): read into a tree, written back atomically (temp
 * file + rename) so a crash never leaves half a file. Secrets files are created 0600.
 */
public final class YamlFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              // A key written twice is a mistake to report, not a silent "last one wins".
              .enable(
                  com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION
                      .mappedFeature()));
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path path;
  private final boolean ownerOnly;

  public YamlFile(Path path, boolean ownerOnly) {
    this.path = path;
    this.ownerOnly = ownerOnly;
  }

  public Path path() {
    return path;
  }

  /** The file's mapping; an empty mapping when the file does not exist or is empty. */
  public ObjectNode read() {
    return read(false);
  }

  /**
   * The file's mapping for reading settings: like {@link #read()}, but a top-level scalar that YAML
   * 1.1 reads as a boolean keeps the text the file has ({@code off}, {@code yes}, {@code True}), so
   * a setting sees, and an error quotes, what the person wrote rather than "false" or "true".
   */
  public ObjectNode readAsWritten() {
    return read(true);
  }

  private ObjectNode read(boolean booleansAsWritten) {
    if (!Files.exists(path)) return Json.object();
    try {
      String text = Files.readString(path);
      if (text.isBlank()) return Json.object();
      JsonNode node = YAML.readTree(text);
      if (node == null || node.isMissingNode() || node.isNull()) return Json.object();
      if (!node.isObject()) {
        throw new ConfigException(
            path
                + ": expected a mapping of keys to values at the top level, found "
                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      ObjectNode mapping = (ObjectNode) node;
      if (booleansAsWritten) booleansAsWritten(mapping, text);
      return mapping;
    } catch (JacksonException e) {
      throw new ConfigException(path + ": invalid YAML " + describe(e));
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Replaces the file's content. A file marked read-only (no owner write bit, or not writable by
   * this user; a Kubernetes ConfigMap mount, {@code chmod a-w}) is refused rather than replaced by
   * the rename, even for root. Throws {@link ConfigException} naming the file.
   */
  public synchronized void write(ObjectNode content) {
    if (readOnly())
      throw new ConfigException(
          path + " is read-only; change it where it comes from (or make it writable)");
    try {
      Files.createDirectories(path.getParent());
      Path tmp = Files.createTempFile(path.getParent(), "." + path.getFileName(), ".tmp");
      try {
        if (ownerOnly) Files.setPosixFilePermissions(tmp, OWNER_ONLY);
        Files.writeString(tmp, content.isEmpty() ? "{}\n" : YAML.writeValueAsString(content));
        try {
          Files.move(
              tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** True when the file exists and may not be written. */
  public boolean readOnly() {
    if (!Files.exists(path)) return false;
    if (!Files.isWritable(path)) return true;
    try {
      return !Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_WRITE);
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }

  /** Replaces each top-level boolean of {@code mapping} by its text in {@code yaml}. */
  private static void booleansAsWritten(ObjectNode mapping, String yaml) throws IOException {
    if (mapping.valueStream().noneMatch(JsonNode::isBoolean)) return;
    try (JsonParser parser = YAML.createParser(yaml)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) return;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
          mapping.put(key, parser.getText());
        } else {
          parser.skipChildren();
        }
      }
    }
  }

  /**
   * "(line 2, column 4): mapping values are not allowed here": the parser's own words, on one line.
   */
  private static String describe(JacksonException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark mark = yaml.getProblemMark();
      return "(line "
          + (mark.getLine() + 1)
          + ", column "
          + (mark.getColumn() + 1)
          + "): "
          + firstLine(yaml.getProblem());
    }
    String where =
        e.getLocation() == null
            ? ""
            : "(line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + "): ";
    return where + firstLine(e.getOriginalMessage());
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
