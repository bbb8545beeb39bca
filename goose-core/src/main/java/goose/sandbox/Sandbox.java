package goose.sandbox;

import goose.config.Config;
import goose.config.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one door through which every tool process starts: the developer shell's commands and every
 * stdio MCP server. From a command, the session's workspace, the variables the tool may have and
 * the limits, it builds the process. With the sandbox on, that process runs under bubblewrap and
 * sees the system read-only, its workspace read-write, a private {@code /tmp} and nothing else of
 * the host (see {@link Bubblewrap}); an extension's server ({@link ToolLaunch.Kind#EXTENSION}) also
 * gets a private {@code HOME} instead of the workspace ({@link ChildEnvironment}); with it off, it
 * runs as the server's OS user in the workspace, with the server's environment less its secrets.
 * In-process tools get their view of the workspace from the same place ({@link #files}), so the
 * text editor reaches exactly what the shell reaches.
 *
 * <p>Thread-safe and stateless once opened.
 */
public final class Sandbox {
  private final SandboxSettings settings;
  private final Optional<Bubblewrap> bubblewrap;
  private final Map<String, String> serverEnvironment;
  private final Optional<String> lang;
  private final boolean watchProcesses;

  private Sandbox(
      SandboxSettings settings, Optional<Bubblewrap> bubblewrap, Map<String, String> serverEnv) {
    this.settings = settings;
    this.bubblewrap = bubblewrap;
    this.serverEnvironment = Map.copyOf(serverEnv);
    this.lang = Optional.ofNullable(System.getenv("LANG"));
    // The kernel never applies RLIMIT_NPROC to root, so a server running as root counts the
    // processes of each sandbox itself.
    this.watchProcesses = bubblewrap.isPresent() && runningAsRoot();
  }

  /**
   * The sandbox the settings ask for. When it must be on, bwrap is found and a probe sandbox is
   * run; if that fails the start fails ({@link goose.config.ConfigException}, one line saying what
   * to install or set): never silently unconfined.
   */
  public static Sandbox open(Config config, SandboxSettings settings) {
    Optional<Bubblewrap> b =
        settings.enabled() ? Optional.of(Bubblewrap.open(settings)) : Optional.empty();
    if (settings.enabled()) createServerDirectories(settings);
    return new Sandbox(settings, b, ChildEnvironment.withoutSecrets(System.getenv(), config));
  }

  /**
   * The server's directories exist from the start, so that each is covered wherever a workspace
   * contains it ({@link Bubblewrap}): one missing there could be made by a tool, and a planted
   * config.yaml read at the next start. One that cannot be made is left to {@link #confined}, which
   * refuses the workspaces that contain it.
   */
  private static void createServerDirectories(SandboxSettings settings) {
    for (Path dir : settings.serverDirectories()) {
      if (Files.isDirectory(dir)) continue;
      try {
        PrivateFiles.directory(dir);
      } catch (IOException e) {
        // refused per workspace instead
      }
    }
  }

  /** {@code GOOSE_SANDBOX} for a single-user process ({@code goose mcp NAME}): auto means off. */
  public static Sandbox forSingleUser(Config config) {
    return open(config, SandboxSettings.from(config, "single-user", false));
  }

  /** No sandbox: tools run as the server's OS user (tests of the unconfined behaviour). */
  public static Sandbox unconfined(Config config) {
    return open(config, SandboxSettings.off(config));
  }

  /** Whether tool processes run confined. */
  public boolean confining() {
    return bubblewrap.isPresent();
  }

  public SandboxSettings settings() {
    return settings;
  }

  public ToolLimits limits() {
    return settings.limits();
  }

  /** One line for the start-up log. */
  public String describe() {
    if (bubblewrap.isEmpty()) {
      return "tools are NOT sandboxed ("
          + settings.why()
          + "): they run as this OS user and can reach everything it can";
    }
    return "tools run in a bubblewrap sandbox ("
        + settings.why()
        + ", "
        + bubblewrap.get().bwrap()
        + "): the session's workspace read-write, the system read-only, network "
        + (settings.network() ? "on" : "off")
        + "; limits: "
        + settings.limits().describe();
  }

  /**
   * Starts {@code launch}. Throws {@link IOException} with a message for the model or the person
   * when the workspace is not usable, the program is not there (or not visible in the sandbox), or
   * the process cannot start.
   */
  public ToolProcess start(ToolLaunch launch) throws IOException {
    Optional<WorkspaceDir> confined = confined(launch.workspace());
    Path workspace = confined.isPresent() ? confined.get().path() : unconfined(launch.workspace());
    Optional<Path> home =
        confined.isPresent() && launch.kind() == ToolLaunch.Kind.EXTENSION
            ? Optional.of(bubblewrap.orElseThrow().privateHome(workspace))
            : Optional.empty();
    Map<String, String> env = environment(workspace, home);
    env.putAll(launch.env());
    checkProgram(launch.program(), env.getOrDefault("PATH", ""), workspace);
    List<String> command =
        confined.isPresent()
            ? bubblewrap.orElseThrow().argv(launch.command(), confined.get(), home)
            : launch.command();
    ProcessBuilder pb =
        new ProcessBuilder(ProcessTree.inOwnGroup(command)).directory(workspace.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    if (launch.streams() == ToolLaunch.Streams.MERGED_WITHOUT_INPUT) {
      pb.redirectErrorStream(true).redirectInput(new File("/dev/null"));
    }
    Process process = pb.start();
    return new ToolProcess(
        process,
        watchProcesses ? OptionalInt.of(settings.limits().maxProcesses()) : OptionalInt.empty());
  }

  /**
   * The files of {@code workingDir} as an in-process tool may reach them: with the sandbox on, only
   * inside the workspace (after resolving symbolic links and {@code ..}) and never a hidden path;
   * with it off, anything the server's OS user can reach.
   */
  public WorkspaceFiles files(Path workingDir) throws IOException {
    Optional<WorkspaceDir> confined = confined(workingDir);
    if (confined.isEmpty()) return new OpenFiles(unconfined(workingDir));
    List<Path> hidden = settings.hidden().stream().map(Bubblewrap::real).toList();
    return new ConfinedFiles(confined.get(), hidden, this);
  }

  /**
   * The directory a session's tools work in, as the path to launch them in: {@code workingDir}
   * itself when it is usable (with the sandbox on, reached without a symbolic link: {@link
   * WorkspaceDir}), else an exception saying why not.
   */
  public Path workspace(Path workingDir) throws IOException {
    Optional<WorkspaceDir> confined = confined(workingDir);
    return confined.isPresent() ? confined.get().path() : unconfined(workingDir);
  }

  /**
   * Why {@code path} (an absolute path on this machine, such as an argument naming a script) does
   * not show inside the sandbox; empty when it does or when there is no sandbox.
   */
  public Optional<String> invisible(Path path, Path workingDir) {
    if (bubblewrap.isEmpty() || !path.isAbsolute() || !Files.exists(path)) return Optional.empty();
    Path real = Bubblewrap.real(path);
    Path workspace = Bubblewrap.real(workingDir);
    boolean shown = bubblewrap.get().shown(workspace).stream().anyMatch(real::startsWith);
    boolean hidden = settings.hidden().stream().map(Bubblewrap::real).anyMatch(real::startsWith);
    if (shown && !hidden) return Optional.empty();
    return Optional.of(
        path
            + " is not visible inside the sandbox"
            + (hidden
                ? " (it lies in a hidden directory)"
                : "; add its directory to GOOSE_SANDBOX_READ_ONLY"));
  }

  /**
   * The environment before the tool's own variables: without the sandbox the server's less its
   * secrets, whoever's process it is; in it the clean one, with an extension's private {@code home}
   * when given.
   */
  private Map<String, String> environment(Path workspace, Optional<Path> home) {
    if (bubblewrap.isEmpty()) return new HashMap<>(serverEnvironment);
    Map<String, String> env =
        new HashMap<>(
            ChildEnvironment.clean(
                home.orElse(workspace),
                settings.hostPath(),
                bubblewrap.get().shown(workspace).stream()
                    .filter(p -> !p.equals(workspace))
                    .toList(),
                lang));
    home.ifPresent(h -> ChildEnvironment.noImplicitCode(env, h));
    return env;
  }

  /** Without the sandbox: {@code workingDir} when it is an existing directory. */
  private static Path unconfined(Path workingDir) throws IOException {
    Path real;
    try {
      real = workingDir.toRealPath();
    } catch (NoSuchFileException e) {
      throw new IOException("the working directory " + workingDir + " does not exist");
    }
    if (!Files.isDirectory(real))
      throw new IOException("the working directory " + workingDir + " is not a directory");
    return workingDir.toAbsolutePath();
  }

  /**
   * With the sandbox on, the workspace {@code workingDir} names ({@link WorkspaceDir}), or an
   * exception saying why it cannot be one; empty with the sandbox off.
   */
  private Optional<WorkspaceDir> confined(Path workingDir) throws IOException {
    if (bubblewrap.isEmpty()) return Optional.empty();
    WorkspaceDir dir = WorkspaceDir.open(workingDir);
    Path real = dir.path();
    if (real.getParent() == null
        || Bubblewrap.NOT_A_WORKSPACE.stream().anyMatch(real::startsWith)) {
      throw new IOException(
          "the working directory "
              + real
              + " cannot be a sandbox workspace: it is the root or a system directory");
    }
    for (Path h : settings.hidden()) {
      if (real.startsWith(Bubblewrap.real(h))) {
        throw new IOException(
            "the working directory "
                + real
                + " lies in the server's own files ("
                + h
                + "), which the sandbox hides");
      }
    }
    for (Path own : settings.serverDirectories()) {
      Path path = resolvedAsFarAsItExists(own);
      if (path.startsWith(real) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            "the server's directory "
                + path
                + " in the working directory is missing (moved or removed while the server runs):"
                + " tools refused until it is back, since they could put files in its place");
      }
    }
    return Optional.of(dir);
  }

  /**
   * {@code path} with the links of its longest existing prefix resolved, the missing names after it
   * as they are: compared with a workspace's real path whether it exists or not (a server directory
   * under a HOME that is a link).
   */
  private static Path resolvedAsFarAsItExists(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) || parent == null)
      return Bubblewrap.real(absolute);
    Path name = absolute.getFileName();
    return name == null ? absolute : resolvedAsFarAsItExists(parent).resolve(name);
  }

  private void checkProgram(String program, String path, Path workspace) throws IOException {
    Path found;
    if (program.contains("/")) {
      found = workspace.resolve(program);
      if (!Files.isRegularFile(found) || !Files.isExecutable(found))
        throw new IOException("cannot start '" + program + "': no such executable file");
    } else {
      found =
          Bubblewrap.find(program, path)
              .orElseThrow(
                  () ->
                      new IOException(
                          "cannot start '" + program + "': not found on PATH (" + path + ")"));
    }
    Optional<String> invisible = invisible(found, workspace);
    if (invisible.isPresent())
      throw new IOException("cannot start '" + program + "': " + invisible.get());
  }

  private static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
