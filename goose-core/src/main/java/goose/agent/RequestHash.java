package goose.agent;

import goose.conversation.Content;
import goose.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The SHA-256 of a message's parts as JSON: what a request with a request id asked for. */
final class RequestHash {
  private RequestHash() {}

  static String of(List<Content> content) {
    try {
      byte[] json = Json.MAPPER.writeValueAsBytes(content);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("message parts always serialise", e);
    }
  }
}
