package goose.builtins.developer;

import goose.builtins.Args;
import goose.builtins.ToolInputException;
import goose.builtins.ToolSetExtension.ToolFailure;
import goose.sandbox.ProcessTree;
import goose.sandbox.Sandbox;
import goose.sandbox.ToolLaunch;
import goose.sandbox.ToolProcess;
import goose.tool.ToolContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code shell} tool: runs a command line with bash in the session's working directory, stdout
 * and stderr captured together in order. It starts through the {@link Sandbox} (the one door for
 * tool processes): confined to the workspace when the sandbox is on. The command runs in its own
 * process group, so a timeout or a cancelled turn ends everything it started. Output beyond {@link
 * OutputBuffer#MAX_LINES} lines or the sandbox's output limit keeps its head and tail with a notice
 * of what was cut and where the whole of it was saved ({@link FullOutput}).
 */
final class Shell {
  static final long DEFAULT_TIMEOUT_SECS = 300;
  static final long MAX_TIMEOUT_SECS = 3600;

  /** Nothing may wait for a person at a terminal. */
  private static final Map<String, String> NON_INTERACTIVE =
      Map.of("GIT_TERMINAL_PROMPT", "0", "PAGER", "cat", "GIT_PAGER", "cat");

  private final Sandbox sandbox;

  Shell(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  String run(ToolContext context, Args args)
      throws ToolInputException, IOException, InterruptedException {
    String command = args.text("command");
    if (command.isBlank()) throw new ToolInputException("argument 'command' must not be empty");
    long timeout = args.optLong("timeout_secs").orElse(DEFAULT_TIMEOUT_SECS);
    if (timeout < 1 || timeout > MAX_TIMEOUT_SECS) {
      throw new ToolInputException(
          "argument 'timeout_secs' must be between 1 and " + MAX_TIMEOUT_SECS);
    }
    ToolProcess tool =
        sandbox.start(
            new ToolLaunch(
                List.of("bash", "-c", command),
                context.workingDir(),
                NON_INTERACTIVE,
                ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
                ToolLaunch.Kind.SESSION));
    Process process = tool.process();
    int limit = sandbox.limits().maxOutputBytes();
    OutputBuffer output =
        new OutputBuffer(
            limit,
            new FullOutput(sandbox.files(context.workingDir()), limit, OutputBuffer.MAX_LINES));
    Thread reader =
        Thread.ofVirtual()
            .name("shell-output")
            .start(() -> drain(process.getInputStream(), output));
    boolean finished;
    try {
      finished = process.waitFor(timeout, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      ProcessTree.terminate(process, Duration.ofSeconds(1));
      throw e;
    }
    if (!finished) {
      ProcessTree.terminate(process, Duration.ofSeconds(1));
      reader.join(2000);
      throw new ToolFailure(
          output.text()
              + "\n[command timed out after "
              + timeout
              + " s; it and every process it started were killed]");
    }
    // Background children may keep the pipe open: wait briefly, then end the group.
    reader.join(2000);
    if (reader.isAlive()) {
      ProcessTree.terminate(process, Duration.ofMillis(200));
      reader.join(2000);
    }
    int code = process.exitValue();
    String text = output.text();
    if (tool.limitReached().isPresent())
      throw new ToolFailure(
          text
              + (text.isEmpty() || text.endsWith("\n") ? "" : "\n")
              + "["
              + tool.limitReached().get()
              + "]");
    if (code != 0)
      throw new ToolFailure(
          text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "[exit code " + code + "]");
    return text.isEmpty() ? "[no output]" : text;
  }

  private static void drain(InputStream in, OutputBuffer output) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) != -1) output.append(buf, n);
    } catch (IOException e) {
      // process gone
    }
  }
}
