package goose.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a tool's arguments, answering a wrong or missing one with a message that names it. */
public final class Args {
  private final ObjectNode node;

  public Args(ObjectNode node) {
    this.node = node;
  }

  public String text(String name) throws ToolInputException {
    return optText(name)
        .orElseThrow(() -> new ToolInputException("missing required argument '" + name + "'"));
  }

  public Optional<String> optText(String name) throws ToolInputException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isTextual()) throw new ToolInputException("argument '" + name + "' must be a string");
    return Optional.of(v.asText());
  }

  public Optional<Long> optLong(String name) throws ToolInputException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isIntegralNumber())
      throw new ToolInputException("argument '" + name + "' must be a whole number");
    return Optional.of(v.asLong());
  }

  public boolean bool(String name, boolean fallback) throws ToolInputException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return fallback;
    if (!v.isBoolean())
      throw new ToolInputException("argument '" + name + "' must be true or false");
    return v.asBoolean();
  }

  public List<String> texts(String name) throws ToolInputException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray())
      throw new ToolInputException("argument '" + name + "' must be a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual())
        throw new ToolInputException("argument '" + name + "' must be a list of strings");
      out.add(e.asText());
    }
    return out;
  }

  public Optional<List<Long>> optLongs(String name) throws ToolInputException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isArray())
      throw new ToolInputException("argument '" + name + "' must be a list of whole numbers");
    List<Long> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isIntegralNumber())
        throw new ToolInputException("argument '" + name + "' must be a list of whole numbers");
      out.add(e.asLong());
    }
    return Optional.of(out);
  }
}
