package goose.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What exactly a tool call does: the SHA-256 (hex) of its tool name and arguments in a canonical
 * JSON form (object keys sorted, no spaces), so the same call always has the same hash however its
 * arguments were spelled. An approval carries the hash of the call it was asked for; an answer, a
 * resumed turn or a stored decision applies only to a call with that very hash.
 */
public final class CallHash {
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private CallHash() {}

  public static String of(String tool, JsonNode arguments) {
    ObjectNode call = JsonNodeFactory.instance.objectNode();
    call.put("tool", tool);
    call.set("arguments", arguments == null ? JsonNodeFactory.instance.objectNode() : arguments);
    try {
      byte[] canonical = CANONICAL.writeValueAsString(call).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a tool call", e);
    }
  }
}
