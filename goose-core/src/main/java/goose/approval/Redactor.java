package goose.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import goose.json.Json;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from tool arguments before they are logged or audited: the value of every key
 * that names a secret (api_key, token, password, authorization, ...) and, inside any string, what
 * looks like a credential (bearer tokens, well-known API key shapes, JWTs, {@code NAME_TOKEN=value}
 * assignments). It errs on the side of hiding: an audit that shows a little less beats a log that
 * leaks a key.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";

  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "(?i).*(key|token|secret|passw(or)?d|pwd|authorization|auth(?!or)|credential|cookie|session[-_]?id|private).*");

  /**
   * Well-known credential shapes: bearer/basic values, OpenAI/Anthropic/GitHub/Slack/AWS/Google
   * keys, JWTs.
   */
  private static final Pattern SECRET_VALUE =
      Pattern.compile(
          String.join(
              "|",
              "(?i)(?<=\\b(bearer|basic|token)\\s)[A-Za-z0-9._~+/=-]{8,}",
              "\\bsk-[A-Za-z0-9_-]{8,}",
              "\\bgh[pousr]_[A-Za-z0-9]{16,}",
              "\\bgithub_pat_[A-Za-z0-9_]{16,}",
              "\\bxox[abposr]-[A-Za-z0-9-]{8,}",
              "\\bAKIA[0-9A-Z]{16}\\b",
              "\\bAIza[0-9A-Za-z_-]{30,}",
              "\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"));

  /**
   * {@code API_KEY=...}, {@code --password=...}, {@code "token": "..."} inside a command line or
   * text.
   */
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile(
          "(?i)\\b([A-Za-z0-9_.-]*(key|token|secret|passw(or)?d|pwd|credential)[A-Za-z0-9_.-]*)(\\s*[=:]\\s*\"?)([^\\s\"'&;]+)");

  /** {@code https://user:password@host}. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?<=://[^/\\s:@]{1,256}:)[^/\\s@]+(?=@)");

  private Redactor() {}

  /** A redacted copy; the input is not changed. */
  public static JsonNode redact(JsonNode node) {
    return redact(node, Integer.MAX_VALUE);
  }

  /**
   * A redacted copy whose strings are cut to {@code maxText} characters (a file written by a tool
   * need not be copied whole into the audit and the log); the cut is marked with the original
   * length.
   */
  public static JsonNode redact(JsonNode node, int maxText) {
    if (node == null) return Json.object();
    return switch (node) {
      case ObjectNode object -> redactObject(object, maxText);
      case ArrayNode array -> {
        ArrayNode copy = Json.MAPPER.createArrayNode();
        array.forEach(item -> copy.add(redact(item, maxText)));
        yield copy;
      }
      case TextNode text -> TextNode.valueOf(cut(redactText(text.asText()), maxText));
      default -> node.deepCopy();
    };
  }

  private static String cut(String text, int maxText) {
    if (text.length() <= maxText) return text;
    return text.substring(0, maxText) + "... (" + text.length() + " characters)";
  }

  /** The text with every credential-looking part masked. */
  public static String redactText(String text) {
    String out = SECRET_VALUE.matcher(text).replaceAll(MASK);
    out = URL_PASSWORD.matcher(out).replaceAll(MASK);
    Matcher m = SECRET_ASSIGNMENT.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement = m.group(5).equals(MASK) ? m.group() : m.group(1) + m.group(4) + MASK;
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  private static ObjectNode redactObject(ObjectNode object, int maxText) {
    ObjectNode copy = Json.object();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      JsonNode value = field.getValue();
      boolean hide =
          isSecretKey(field.getKey())
              && !value.isNull()
              && !value.isBoolean()
              && !value.isContainerNode();
      copy.set(field.getKey(), hide ? TextNode.valueOf(MASK) : redact(value, maxText));
    }
    return copy;
  }
}
