package goose.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;

/**
 * JSON helpers for wire decoders: unreadable provider JSON is a PROTOCOL error naming what broke.
 */
public final class WireJson {
  private WireJson() {}

  /** Parses one event's data; anything but a JSON object is a protocol error. */
  public static JsonNode parse(String provider, String data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      if (node == null || !node.isObject())
        throw ProviderErrors.protocol(provider, "event data is not a JSON object: " + data);
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ProviderErrors.protocol(provider, "event data is not valid JSON: " + data);
    }
  }

  /**
   * A tool call's accumulated argument text as an object: empty means no arguments. Text that is
   * not a JSON object is a protocol error (the call cannot be run as the model meant it).
   */
  public static ObjectNode arguments(String provider, String tool, String text) {
    if (text.isBlank()) return Json.object();
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      if (node instanceof ObjectNode o) return o;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // reported below
    }
    throw ProviderErrors.protocol(
        provider, "arguments of tool call " + tool + " are not a JSON object: " + text);
  }
}
