package goose.sandbox;

/**
 * What one tool process may use. Processes and memory are enforced by the kernel inside the sandbox
 * ({@code RLIMIT_NPROC}, counted per sandbox because each has its own user namespace, and {@code
 * RLIMIT_DATA} per process); {@code /tmp} is a tmpfs of at most {@link #maxTmpBytes}; output is cut
 * on the Java side. Wall time is the caller's (the shell's {@code timeout_secs}, an extension's
 * {@code timeout}).
 *
 * @param maxProcesses processes and threads one sandbox may run at once
 * @param maxMemoryBytes writable memory (heap, stacks, anonymous maps) of each process
 * @param maxTmpBytes size of the sandbox's private {@code /tmp}
 * @param maxOutputBytes output of one shell call kept for the model (head and tail)
 */
public record ToolLimits(
    int maxProcesses, long maxMemoryBytes, long maxTmpBytes, int maxOutputBytes) {
  static final long MIB = 1024L * 1024;

  public static final ToolLimits DEFAULTS = new ToolLimits(1024, 4096 * MIB, 1024 * MIB, 65_536);

  public ToolLimits {
    if (maxProcesses < 1 || maxMemoryBytes < MIB || maxTmpBytes < MIB || maxOutputBytes < 1024)
      throw new IllegalArgumentException("limits too small: " + maxProcesses + " processes");
  }

  /** One line for logs and docs. */
  public String describe() {
    return maxProcesses
        + " processes, "
        + maxMemoryBytes / MIB
        + " MiB memory per process, "
        + maxTmpBytes / MIB
        + " MiB /tmp, "
        + maxOutputBytes
        + " bytes of shell output";
  }
}
