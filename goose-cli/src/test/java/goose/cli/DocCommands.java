package goose.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the {@code bin/goose ...} command lines in Markdown and splits them into words the way a
 * POSIX shell would for the simple lines docs show: quotes, {@code $(...)}, line continuations, and
 * the end of the command at a pipe, redirect, separator or comment.
 */
final class DocCommands {
  private static final String PROGRAM = "bin/goose";
  private static final Set<String> ENDS = Set.of("|", "||", "&&", ";", "&", ">", ">>", "<", "2>");

  private DocCommands() {}

  /** Each command as written: from {@code bin/goose} to the end of its quote, code span or line. */
  static List<String> extract(String markdown) {
    List<String> commands = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = markdown.indexOf(PROGRAM, from);
      if (at < 0) return commands;
      from = at + PROGRAM.length();
      int after = at + PROGRAM.length();
      if (after < markdown.length()
          && !Character.isWhitespace(markdown.charAt(after))
          && markdown.charAt(after) != '`') continue; // bin/goosed, bin/goose-foo...
      int start = at; // the command may be written with a path: ./bin/goose, "$PWD/bin/goose"
      while (start > 0 && isPathChar(markdown.charAt(start - 1))) start--;
      if (start < at && markdown.charAt(at - 1) != '/') continue; // xbin/goose
      char before = start > 0 ? markdown.charAt(start - 1) : '\n';
      int end;
      if (before == '"' || before == '\'' || before == '`') {
        end = markdown.indexOf(before, after);
        if (end < 0) end = markdown.length();
        int lineEnd = markdown.indexOf('\n', after);
        if (before != '`' && lineEnd >= 0 && lineEnd < end) end = lineEnd;
      } else {
        end = after;
        while (true) {
          int lineEnd = markdown.indexOf('\n', end);
          if (lineEnd < 0) {
            end = markdown.length();
            break;
          }
          if (markdown.substring(end, lineEnd).stripTrailing().endsWith("\\")) {
            end = lineEnd + 1;
            continue;
          }
          end = lineEnd;
          break;
        }
      }
      commands.add(
          markdown.substring(at, Math.max(at, end)).replaceAll("\\\\\\s*\\n", " ").strip());
    }
  }

  private static boolean isPathChar(char c) {
    return Character.isLetterOrDigit(c) || "/.-_$~{}".indexOf(c) >= 0;
  }

  /** The words of {@code command} up to its end (pipe, redirect, separator, comment). */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < command.length()) {
      char c = command.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord && end(words, word)) return words;
        inWord = false;
        word.setLength(0);
        i++;
      } else if (c == '#' && !inWord) {
        return words;
      } else if (c == '\'' || c == '"') {
        int close = command.indexOf(c, i + 1);
        if (close < 0) close = command.length();
        word.append(command, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '$' && i + 1 < command.length() && command.charAt(i + 1) == '(') {
        int depth = 0;
        int j = i + 1;
        for (; j < command.length(); j++) {
          if (command.charAt(j) == '(') depth++;
          else if (command.charAt(j) == ')' && --depth == 0) break;
        }
        word.append(command, i, Math.min(j + 1, command.length()));
        inWord = true;
        i = j + 1;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) end(words, word);
    return words;
  }

  /** Adds the finished word; true when it ends the command instead. */
  private static boolean end(List<String> words, StringBuilder word) {
    String w = word.toString();
    if (ENDS.contains(w) || w.startsWith(">") || w.startsWith("2>")) return true;
    words.add(w);
    return false;
  }
}
