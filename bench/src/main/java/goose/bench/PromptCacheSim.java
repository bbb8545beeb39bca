package goose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Anthropic's prompt caching as it bills, for the fake provider: a request is a sequence of blocks
 * (tools, then system, then each message's content blocks); a {@code cache_control} breakpoint on a
 * block writes the prefix up to it to the cache (if it is at least {@value #MIN_CACHEABLE} tokens);
 * a later request whose prefix up to a breakpoint, or up to one of the {@value #LOOKBACK} blocks
 * before it, equals a written prefix reads those tokens from the cache. The bill of a request is
 * then: tokens read (at a tenth of the input price), tokens written from there to the last
 * breakpoint (at 1.25 times), and the rest at the full input price. Tokens are estimated as UTF-8
 * bytes of a block's JSON over 4, the same for every client. A block's identity ignores its own
 * {@code cache_control} marker, as the API's does.
 */
final class PromptCacheSim {
  static final int MIN_CACHEABLE = 1024;
  static final int LOOKBACK = 20;

  /** What one request is billed: input at full price, read from the cache, written to it. */
  record Bill(long input, long cacheRead, long cacheWrite) {
    long total() {
      return input + cacheRead + cacheWrite;
    }
  }

  private final Set<String> written = new HashSet<>();

  synchronized Bill bill(JsonNode request) {
    List<String> blocks = new ArrayList<>();
    List<Boolean> marked = new ArrayList<>();
    blocks(request, blocks, marked);
    int n = blocks.size();
    long[] tokens = new long[n];
    String[] prefix = new String[n];
    MessageDigest digest = sha256();
    digest.update(request.path("model").asText().getBytes(StandardCharsets.UTF_8));
    long sum = 0;
    for (int i = 0; i < n; i++) {
      byte[] bytes = blocks.get(i).getBytes(StandardCharsets.UTF_8);
      sum += (bytes.length + 3) / 4;
      tokens[i] = sum;
      digest.update(bytes);
      prefix[i] = HexFormat.of().formatHex(copy(digest).digest());
    }
    int hit = -1;
    int last = -1;
    for (int b = 0; b < n; b++) {
      if (!marked.get(b)) continue;
      last = b;
      for (int i = b; i >= Math.max(0, b - LOOKBACK); i--) {
        if (written.contains(prefix[i])) {
          hit = Math.max(hit, i);
          break;
        }
      }
    }
    long read = hit >= 0 ? tokens[hit] : 0;
    long write = last > hit && tokens[last] >= MIN_CACHEABLE ? tokens[last] - read : 0;
    for (int b = 0; b < n; b++) {
      if (marked.get(b) && tokens[b] >= MIN_CACHEABLE) written.add(prefix[b]);
    }
    return new Bill(sum - read - write, read, write);
  }

  /** Tools, system, then each message's blocks, each with its role; markers noted apart. */
  private static void blocks(JsonNode request, List<String> blocks, List<Boolean> marked) {
    for (JsonNode tool : request.path("tools")) add("tool", tool, blocks, marked);
    JsonNode system = request.path("system");
    if (system.isTextual()) add("system", system, blocks, marked);
    for (JsonNode block : system.isArray() ? system : Json.MAPPER.createArrayNode())
      add("system", block, blocks, marked);
    for (JsonNode message : request.path("messages")) {
      String role = message.path("role").asText();
      JsonNode content = message.path("content");
      if (content.isTextual()) add(role, content, blocks, marked);
      else for (JsonNode block : content) add(role, block, blocks, marked);
    }
  }

  private static void add(String kind, JsonNode block, List<String> blocks, List<Boolean> marked) {
    boolean breakpoint = block.has("cache_control");
    JsonNode identity = block;
    if (breakpoint) {
      ObjectNode copy = ((ObjectNode) block).deepCopy();
      copy.remove("cache_control");
      identity = copy;
    }
    blocks.add(kind + ":" + Json.write(identity));
    marked.add(breakpoint);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDigest copy(MessageDigest d) {
    try {
      return (MessageDigest) d.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }
}
