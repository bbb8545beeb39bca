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
 */
public record ToolLaunch(
    List<String> command, Path workspace, Map<String, String> env, Streams streams) {

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
  }

  public String program() {
    return command.getFirst();
  }
}
