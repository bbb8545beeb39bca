package goose.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import goose.json.Json;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from tool arguments before they are logged or audited: the value of every key
 * that names a secret (api_key, token, password, authorization, ...) and, inside any string, what
 * looks like a credential: bearer tokens, well-known API key shapes, JWTs, private keys, {@code
 * NAME_TOKEN=value} and {@code --token=value} assignments, options followed by their secret ({@code
 * --client-secret X}), the password options of programs that take one ({@code mysql -pSECRET},
 * {@code sshpass -p X}, {@code redis-cli -a X}), {@code user:password} in URLs and in {@code curl
 * -u}, credential headers, {@code pass:} arguments. It errs on the side of hiding: an audit that
 * shows a little less beats a log that leaks a key ({@code mysql -P 3306} loses its port, {@code
 * --keyboard us} its layout).
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

  /** Words that make a name a secret's name. */
  private static final String SECRET_WORD =
      "key|token|secret|passw(?:or)?d|passphrase|pwd|credential|signature|sshpass|pgpass";

  /**
   * {@code API_KEY=...}, {@code --password=...}, {@code "token": "..."} inside a command line or
   * text (the name may be quoted, as in JSON).
   */
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile(
          "(?i)\\b([A-Za-z0-9_.-]*(?:"
              + SECRET_WORD
              + ")[A-Za-z0-9_.-]*)(\"?'?\\s*[=:]\\s*[\"']?)([^\\s\"'&;]+)");

  /**
   * {@code --client-secret VALUE}, {@code --api-key VALUE}, {@code --token VALUE}, {@code
   * --password VALUE}: an option naming a secret, then its value as the next word (not another
   * option).
   */
  private static final Pattern SECRET_OPTION =
      Pattern.compile(
          "(?i)(?<![A-Za-z0-9_])(--?[A-Za-z0-9_.-]*(?:"
              + SECRET_WORD
              + "|auth(?!or))[A-Za-z0-9_.-]*)(\\s+[\"']?)(?!-)([^\\s\"']+)");

  /**
   * Programs whose short option takes a password: {@code mysql -pSECRET} (attached), {@code sshpass
   * -p SECRET} or {@code -pSECRET}, {@code redis-cli -a SECRET}, {@code sqlcmd -P SECRET}, {@code
   * docker login -p SECRET}. Matched per command (up to ; & | or a line end).
   */
  private static final Pattern PASSWORD_PROGRAM =
      Pattern.compile(
          "(?i)\\b(mysql[a-z]*|mariadb[a-z-]*|sshpass|redis-cli|sqlcmd|bcp|docker\\s+login|podman\\s+login)\\b[^;&|\\n]*");

  private static final Pattern SHORT_PASSWORD_OPTION =
      Pattern.compile("(?<=\\s)(-p|-a|-P)(\\s*)(?!-)([^\\s\"']+)");

  /**
   * {@code curl -u user:password}, {@code --user user:password}, {@code smbclient -U
   * user%password}.
   */
  private static final Pattern USER_AND_PASSWORD =
      Pattern.compile("(?<=\\s)(-u|-U|--user)(\\s+|=)([^\\s:%@/]+)([:%])([^\\s\"']+)");

  /** {@code openssl ... -passin pass:SECRET}. */
  private static final Pattern OPENSSL_PASS = Pattern.compile("(?<=\\bpass:)[^\\s\"']+");

  /**
   * A credential header: {@code Authorization: Digest ...}, {@code Cookie: ...}; its whole value is
   * masked, up to the quote the header started inside, else to the end of the line.
   */
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?i)(['\"]?)\\b((?:proxy-)?authorization|(?:set-)?cookie|x-api-key|api-key|x-auth-token)\\s*:\\s*");

  /**
   * Secrets given as plain words: {@code aws configure set NAME VALUE}, {@code htpasswd -b F U PW}.
   */
  private static final List<Pattern> POSITIONAL_SECRETS =
      List.of(
          Pattern.compile("(?i)\\baws\\s+configure\\s+set\\s+\\S+\\s+([^\\s\"']+)"),
          Pattern.compile(
              "(?i)\\bhtpasswd\\s+-[A-Za-z]*b[A-Za-z]*\\s+(?:-\\S+\\s+)*\\S+\\s+\\S+\\s+([^\\s\"']+)"));

  /** {@code https://user:password@host}. */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?<=://[^/\\s:@]{1,256}:)[^/\\s@]+(?=@)");

  /** {@code https://TOKEN@host}: a long user part without a password is a token. */
  private static final Pattern URL_TOKEN = Pattern.compile("(?<=://)[A-Za-z0-9._~+-]{16,}(?=@)");

  /** A PEM private key block. */
  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)");

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

  /** An option that names a secret, whose value may be the next argument. */
  private static final Pattern SECRET_FLAG =
      Pattern.compile("(?i)--?[A-Za-z0-9_.-]*(?:" + SECRET_WORD + "|auth(?!or))[A-Za-z0-9_.-]*");

  private static final Pattern PASSWORD_PROGRAM_NAME =
      Pattern.compile("(?i)(mysql[a-z]*|mariadb[a-z-]*|sshpass|redis-cli|sqlcmd|bcp)");

  /**
   * A program and its arguments, one by one, with secrets masked: each argument as {@link
   * #redactText}, the argument after an option that names a secret ({@code --token X}), and the
   * password options of the programs that take one ({@code mysql -pX}, {@code sshpass -p X}).
   */
  public static List<String> redactArgv(List<String> argv) {
    String program = argv.isEmpty() ? "" : argv.getFirst();
    boolean takesPassword =
        PASSWORD_PROGRAM_NAME.matcher(program.substring(program.lastIndexOf('/') + 1)).matches();
    List<String> out = new java.util.ArrayList<>();
    boolean maskNext = false;
    for (String arg : argv) {
      if (maskNext && !arg.startsWith("-")) {
        out.add(MASK);
        maskNext = false;
        continue;
      }
      maskNext = false;
      String redacted = redactText(arg);
      if (takesPassword && arg.matches("-[paP].+")) redacted = arg.substring(0, 2) + MASK;
      else if (takesPassword && arg.matches("-[paP]")) maskNext = true;
      else if (redacted.equals(arg) && SECRET_FLAG.matcher(arg).matches()) maskNext = true;
      out.add(redacted);
    }
    return out;
  }

  /** The text with every credential-looking part masked. */
  public static String redactText(String text) {
    String out = PRIVATE_KEY.matcher(text).replaceAll(MASK);
    out = SECRET_VALUE.matcher(out).replaceAll(MASK);
    out = URL_PASSWORD.matcher(out).replaceAll(MASK);
    out = URL_TOKEN.matcher(out).replaceAll(MASK);
    out = OPENSSL_PASS.matcher(out).replaceAll(MASK);
    out = maskHeaders(out);
    for (Pattern positional : POSITIONAL_SECRETS) out = maskGroup(positional, out, 1);
    out = maskGroup(USER_AND_PASSWORD, out, 5);
    out = maskGroup(SECRET_ASSIGNMENT, out, 3);
    out = maskGroup(SECRET_OPTION, out, 3);
    Matcher program = PASSWORD_PROGRAM.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (program.find()) {
      program.appendReplacement(
          sb, Matcher.quoteReplacement(maskGroup(SHORT_PASSWORD_OPTION, program.group(), 3)));
    }
    program.appendTail(sb);
    return sb.toString();
  }

  private static String maskHeaders(String text) {
    Matcher m = SECRET_HEADER.matcher(text);
    StringBuilder sb = new StringBuilder();
    int copied = 0;
    while (m.find(copied)) {
      String quote = m.group(1);
      int end =
          quote.isEmpty() ? text.indexOf('\n', m.end()) : text.indexOf(quote.charAt(0), m.end());
      if (end < 0) end = text.length();
      sb.append(text, copied, m.end());
      if (end > m.end()) sb.append(MASK);
      copied = end;
      if (copied >= text.length()) break;
    }
    sb.append(text.substring(Math.min(copied, text.length())));
    return sb.toString();
  }

  /** Replaces group {@code group} of every match with the mask (a masked value stays as it is). */
  private static String maskGroup(Pattern pattern, String text, int group) {
    Matcher m = pattern.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = m.group(group);
      String replacement =
          value.startsWith(MASK)
              ? m.group()
              : text.substring(m.start(), m.start(group))
                  + MASK
                  + text.substring(m.end(group), m.end());
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
