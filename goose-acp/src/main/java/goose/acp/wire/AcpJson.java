package goose.acp.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import goose.json.LoneSurrogates;
import java.util.Optional;

/**
 * The JSON mapper of the ACP wire: camelCase field names (the REST API's mapper is snake_case),
 * absent optionals left out, unknown fields ignored (clients add fields freely, {@code _meta}), and
 * text after a message's JSON value refused (a second message on the same line would otherwise be
 * lost without an answer).
 */
public final class AcpJson {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // One message per line or frame: anything after it is an error, not silently dropped.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_ABSENT, JsonInclude.Include.USE_DEFAULTS))
          .build();

  private AcpJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A wire record as a JSON tree. */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses one message; throws {@link JsonProcessingException}, also for a lone surrogate escape
   * ({@link LoneSurrogates}).
   */
  public static JsonNode parse(String text) throws JsonProcessingException {
    JsonNode message = MAPPER.readTree(text);
    Optional<String> problem = LoneSurrogates.find(text);
    if (problem.isPresent()) throw new JsonParseException(null, problem.get());
    return message;
  }
}
