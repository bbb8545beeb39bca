package goose.extension;

import java.util.ArrayList;
import java.util.List;

/**
 * What an extension's {@code cmd} may be: one program, never a command line. Either a bare name
 * looked up on the server's {@code PATH} ({@code npx}, {@code uvx}) or an absolute path in its
 * plain form ({@code /opt/mcp/bin/server}). Refused: whitespace of any kind (the program would be a
 * whole command line to some readers and one name to others), control characters, relative paths
 * ({@code ./server}, {@code bin/server}: they depend on the working directory), {@code .} and
 * {@code ..} segments, doubled or trailing slashes, and {@code ~} (no shell expands it). A plain
 * form is what the allowlist compares exactly, so two spellings of one program cannot differ in
 * what they are allowed to do.
 */
public final class ProgramNames {
  private static final int MAX_LENGTH = 4096;

  private ProgramNames() {}

  /** Throws {@link ExtensionException.Invalid} for field {@code cmd} saying what is wrong. */
  public static void check(String cmd) {
    if (cmd.isBlank()) throw invalid("must not be blank");
    if (cmd.length() > MAX_LENGTH) throw invalid("is longer than " + MAX_LENGTH + " characters");
    for (int i = 0; i < cmd.length(); i++) {
      char c = cmd.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c))
        throw invalid(
            "must be one program (put its arguments in args), but contains whitespace: '"
                + printable(cmd)
                + "'");
      if (Character.isISOControl(c) || c == '\u0000')
        throw invalid("must not contain control characters");
    }
    if (cmd.startsWith("~"))
      throw invalid("must not start with ~ (nothing expands it): give the absolute path");
    if (cmd.equals(".") || cmd.equals("..")) throw invalid("'" + cmd + "' is not a program");
    if (!cmd.contains("/")) return;
    if (!cmd.startsWith("/"))
      throw invalid(
          "'"
              + printable(cmd)
              + "' is a relative path: give a program name found on PATH, or an absolute path");
    if (cmd.endsWith("/") || cmd.contains("//"))
      throw invalid("'" + printable(cmd) + "' is not a plain path (doubled or trailing /)");
    for (String segment : cmd.substring(1).split("/", -1)) {
      if (segment.equals(".") || segment.equals(".."))
        throw invalid("'" + printable(cmd) + "' must not contain . or .. segments");
    }
  }

  /**
   * The entries of a {@code PATH} value that are not absolute (empty, {@code .}, {@code bin}): a
   * bare program name looked up through one of them resolves inside the process's working
   * directory, which a session's tools can write.
   */
  public static List<String> relativeEntries(String path) {
    List<String> out = new ArrayList<>();
    for (String entry : path.split(":", -1)) if (!entry.startsWith("/")) out.add(entry);
    return out;
  }

  private static ExtensionException.Invalid invalid(String problem) {
    return new ExtensionException.Invalid("cmd", problem);
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') sb.append(' ');
      else if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c))
        sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.length() > 200 ? sb.substring(0, 200) + "…" : sb.toString();
  }
}
