package goose.builtins.developer;

import goose.builtins.ToolSetExtension;
import goose.sandbox.Sandbox;

/**
 * goose's {@code developer} extension: {@code shell} and {@code text_editor}. On by default, as in
 * goose.
 */
public final class DeveloperExtension extends ToolSetExtension {

  /**
   * @param sandbox the door shell commands start through and the editor reaches files through
   */
  public DeveloperExtension(Sandbox sandbox) {
    this.instructions =
        INSTRUCTIONS.formatted(OutputBuffer.MAX_LINES, sandbox.limits().maxOutputBytes() / 1024);
    Shell shell = new Shell(sandbox);
    TextEditor editor = new TextEditor(sandbox);
    tool(
        "shell",
        "Run a bash command line in the session's working directory and return its output (stdout and stderr "
            + "together). Long output is truncated in the middle. The command and everything it starts are killed "
            + "after timeout_secs (default "
            + Shell.DEFAULT_TIMEOUT_SECS
            + "). Nothing can be typed into it: avoid "
            + "interactive programs.",
        false,
        """
        {"type": "object", "required": ["command"], "properties": {
          "command": {"type": "string", "description": "The command line, run with bash -c"},
          "timeout_secs": {"type": "integer", "minimum": 1, "maximum": 3600, "description": "Seconds before the command is killed"}}}
        """,
        shell::run);
    tool(
        "text_editor",
        "View and edit text files. Commands: view (a file with line numbers, optionally view_range [start, end]; "
            + "or a directory's entries), write (file_text replaces the whole file), str_replace (old_str must occur "
            + "exactly once; replaced by new_str), insert (new_str after line insert_line, 0 for the top), undo_edit "
            + "(reverts the last edit of path). Relative paths are relative to the working directory.",
        false,
        """
        {"type": "object", "required": ["command", "path"], "properties": {
          "command": {"type": "string", "enum": ["view", "write", "str_replace", "insert", "undo_edit"]},
          "path": {"type": "string", "description": "File or directory path"},
          "view_range": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2,
                         "description": "1-based [start, end] lines for view; end -1 means the last line"},
          "file_text": {"type": "string", "description": "The new content, for write"},
          "old_str": {"type": "string", "description": "The exact text to replace, for str_replace"},
          "new_str": {"type": "string", "description": "The replacement (str_replace) or the text to insert (insert)"},
          "insert_line": {"type": "integer", "minimum": 0, "description": "Insert after this line, for insert"}}}
        """,
        editor::run);
  }

  @Override
  public String name() {
    return "developer";
  }

  @Override
  public String description() {
    return "Run shell commands and view and edit files in the session's working directory";
  }

  @Override
  public boolean enabledByDefault() {
    return true;
  }

  @Override
  public String instructions() {
    return instructions;
  }

  /** The extension's instructions, with the output limits (lines, KB) to fill in. */
  static final String INSTRUCTIONS =
      """
      Use the developer extension to work on the files of the session's working directory and to \
      run commands there.

      Work efficiently: each call costs time and money. Read what you need in as few calls as you \
      can, make the change, then check it (build, run the tests, run the program).

      - shell runs a bash command line, not interactively: nothing can be typed into it and pagers \
      are off. Search with rg (it respects .gitignore) or grep -rn, and list files with rg --files \
      or find rather than recursive ls. Output over %d lines or %d KB \
      is cut to its beginning and end, and all of it is saved to a file whose path the result \
      gives: read that file in parts (sed -n '1,200p', grep, tail) instead of running the command \
      again.
      - text_editor views a file with line numbers (view_range for a part) and edits it. Read a \
      file before you edit it. str_replace needs old_str to occur exactly once: include enough \
      surrounding lines. write replaces the whole file; undo_edit reverts the last edit of a file.
      - Use python3, not python.""";

  private final String instructions;
}
