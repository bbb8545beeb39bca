package goose.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a caller asks of the {@link Sandbox}: a program and its arguments (never a shell line unless
 * the program is a shell), the session's workspace, the variables the tool itself needs on top of
 * the sandbox's own environment, and how its streams are wired.
 *
 * @param command the program (a name looked up on the sandbox's PATH, or a path) and its arguments
 * @param workspace the session's working directory: the only place the process may write
 * @param env variables added to the sandbox's environment (an extension's own variables and its
 *     {@code env_keys} secrets, the shell's pager settings)
 * @param kind whose process it is: the session's own tool, or an extension's server
 */
public record ToolLaunch(
    List<String> command, Path workspace, Map<String, String> env, Streams streams, Kind kind) {

  /**
   * Whose process it is, which decides its {@code HOME} and whether its interpreters may load code
   * from the workspace implicitly.
   */
  public enum Kind {
    /**
     * The session's own tool (a shell command, the text editor's {@code mkdir}): it acts for the
     * user, and with the sandbox on its {@code HOME} is the workspace.
     */
    SESSION,
    /**
     * An extension's MCP server: it may hold secrets the user must not reach ({@code env_keys}), so
     * with the sandbox on its {@code HOME} is a private, empty tmpfs and Python and npm are told
     * not to load code from {@code HOME} or the working directory by themselves ({@link
     * ChildEnvironment#noImplicitCode}).
     */
    EXTENSION
  }

  /** How the process's standard streams are connected. */
  public enum Streams {
    /** stdin, stdout and stderr are three pipes (an MCP server speaking on stdin/stdout). */
    SEPARATE,
    /** stdin is /dev/null, stderr goes to stdout (a shell command whose output is collected). */
    MERGED_WITHOUT_INPUT
  }

  public ToolLaunch {
    command = List.copyOf(command);
    if (command.isEmpty()) throw new IllegalArgumentException("empty command");
    Objects.requireNonNull(workspace, "workspace");
    env = Map.copyOf(env);
    Objects.requireNonNull(streams, "streams");
    Objects.requireNonNull(kind, "kind");
  }

  public String program() {
    return command.getFirst();
  }
}
