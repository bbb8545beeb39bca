package goose.agent;

import goose.tool.ActiveExtension;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fixed parts of the system prompt, in the order goose sends them: who the agent is, how to
 * read the turn context, the active extensions with their instructions, and how to answer. Nothing
 * here changes from one call to the next (no time, no counters), so the prompt is a stable prefix
 * that providers can cache.
 */
final class PromptText {
  private PromptText() {}

  static final String IDENTITY =
      """
      You are goose, a general-purpose AI agent created by Block and developed as an open-source \
      project; this server is goosed for the JVM, a re-implementation of goose's server. You help the \
      user by answering questions and by using the tools you are given: run them when they move the \
      task forward, read their results carefully, and keep going until the task is done or you need \
      the user's input.

      You may be running on any of several language models. Your training data ends some months \
      before the current date: prefer what the tools show you over what you remember.""";

  static final String TURN_CONTEXT =
      """
      # Turn Context

      The server adds a `<turn-context>` block to the user's message of each turn. It is not part of \
      what the user wrote: it tells you where you are. It may contain:
      - `<current-time>`: the time the turn started
      - `<working-directory>`: the directory tools work in (relative paths resolve against it)
      - `<compaction>`: present when older messages were summarised to fit the context window
      - `<turn-budget>`: how many model calls this turn may still make before it is stopped

      Blocks of earlier turns stay in the conversation; only the newest one is current. When the \
      turn budget runs low, finish: stop exploring, batch the tool calls you still need, make \
      reasonable assumptions and give the user your result.""";

  static final String EXTENSIONS =
      """
      # Extensions

      Extensions give you your tools; a tool's name has the form extension__tool. The extensions \
      active now are listed below, each with the instructions it gives for its tools. The \
      conversation may mention extensions that are no longer active: use only the tools you are \
      offered.""";

  static final String NO_EXTENSIONS =
      """
      # Extensions

      No extension is active, so you have no tools in this session. If the task needs them \
      (files, commands, other systems), tell the user to enable an extension.""";

  static final String GUIDELINES =
      """
      # Response Guidelines

      - Prefer small, verifiable steps. When a tool fails, read the error and adapt instead of \
      repeating the same call. Never invent tool results.
      - Large outputs of commands are cut for you, with the path of a file that holds all of it: \
      read that file in parts rather than running the command again.
      - Answer in Markdown: headers to organise longer answers, bullet lists for lists, fenced code \
      blocks with a language name for code. Be clear and concise.""";

  /** Identity, turn context, extensions and guidelines, separated by blank lines. */
  static String fixedPart(List<ActiveExtension> extensions) {
    Built last = lastBuilt;
    if (last != null && last.extensions().equals(extensions)) return last.text();
    String text = build(extensions);
    lastBuilt = new Built(List.copyOf(extensions), text);
    return text;
  }

  /**
   * The last part built and the extensions it was built for: every turn asks for it again (most
   * sessions have the same extensions), and building it was the largest allocation of a turn's
   * start (about 26 KB, JFR at 1,000 concurrent turns). Extensions that differ build it anew.
   */
  private record Built(List<ActiveExtension> extensions, String text) {}

  private static volatile @Nullable Built lastBuilt;

  private static String build(List<ActiveExtension> extensions) {
    StringBuilder prompt = new StringBuilder(IDENTITY);
    prompt.append("\n\n").append(TURN_CONTEXT).append("\n\n");
    if (extensions.isEmpty()) {
      prompt.append(NO_EXTENSIONS);
    } else {
      prompt.append(EXTENSIONS);
      for (ActiveExtension e : extensions) {
        prompt.append("\n\n## ").append(e.name());
        if (!e.instructions().isEmpty())
          prompt.append("\n\n### Instructions\n\n").append(e.instructions());
      }
    }
    return prompt.append("\n\n").append(GUIDELINES).toString();
  }
}
