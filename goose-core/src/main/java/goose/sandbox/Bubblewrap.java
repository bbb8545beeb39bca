package goose.sandbox;

import goose.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The command line of one sandboxed process: {@code bwrap} with its namespaces and mounts, then
 * {@code prlimit} with the limits, then the tool's own command. Nothing secret ever goes into it:
 * inside the sandbox {@code /proc/1/cmdline} is this very line (the environment travels as the
 * process environment, never as {@code --setenv}).
 *
 * <p>What the process sees: the system read-only ({@code /usr}, {@code /bin}, {@code /sbin}, {@code
 * /lib*}, {@code /etc} less the files that hold secrets), the extra read-only paths, a fresh {@code
 * /dev}, a fresh {@code /proc} of its own PID namespace, a private {@code /tmp}, and the workspace
 * read-write; an extension's server also a private {@code HOME}, a tmpfs of its own ({@link
 * #PRIVATE_HOMES}). Hidden paths (the server's config, data and state directories) are covered with
 * an empty read-only tmpfs wherever they would otherwise show. It has its own user (no
 * capabilities, no further user namespaces), PID, IPC, UTS and cgroup namespaces, and its own
 * network namespace unless the network is on.
 */
final class Bubblewrap {
  /** The system, shown read-only (a symbolic link such as /bin -> usr/bin is recreated as one). */
  static final List<Path> SYSTEM =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc").stream()
          .map(Path::of)
          .toList();

  /** Never shown under /etc even though /etc is: password hashes, private keys, keytabs. */
  static final List<Path> ETC_SECRETS =
      List.of(
              "/etc/shadow",
              "/etc/shadow-",
              "/etc/gshadow",
              "/etc/gshadow-",
              "/etc/security/opasswd",
              "/etc/ssl/private",
              "/etc/sudoers",
              "/etc/sudoers.d",
              "/etc/krb5.keytab")
          .stream()
          .map(Path::of)
          .toList();

  /**
   * Paths a workspace may not be: they are the system the sandbox shows read-only or makes anew.
   */
  static final List<Path> NOT_A_WORKSPACE =
      List.of(
              "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/proc",
              "/sys", "/dev", "/boot")
          .stream()
          .map(Path::of)
          .toList();

  /**
   * Where an extension's server gets its private {@code HOME}, a tmpfs of its own: the first of
   * these that is neither inside nor around a path the sandbox shows (the workspace, the read-only
   * extras), so it never hides one and is never created in one.
   */
  static final List<Path> PRIVATE_HOMES =
      List.of(Path.of("/tmp/goose-home"), Path.of("/run/goose-home"));

  private final Path bwrap;
  private final Path prlimit;
  private final SandboxSettings settings;

  private Bubblewrap(Path bwrap, Path prlimit, SandboxSettings settings) {
    this.bwrap = bwrap;
    this.prlimit = prlimit;
    this.settings = settings;
  }

  /**
   * Finds bwrap and prlimit and runs a probe sandbox; throws {@link ConfigException} with one line
   * saying what to install or set when either is missing or the probe fails.
   */
  static Bubblewrap open(SandboxSettings settings) {
    String off = "; or set GOOSE_SANDBOX=off to run tools unconfined (docs/sandbox.md)";
    String on = "tools must run in a sandbox (" + settings.why() + ") but ";
    Path bwrap =
        settings
            .bwrap()
            .map(
                p -> {
                  if (!Files.isExecutable(p))
                    throw new ConfigException(
                        on + "GOOSE_BWRAP is " + p + ", which is not an executable file" + off);
                  return p;
                })
            .or(() -> find("bwrap", settings.hostPath()))
            .orElseThrow(
                () ->
                    new ConfigException(
                        on
                            + "bubblewrap (bwrap) is not installed: install it (Debian/Ubuntu:"
                            + " apt-get install bubblewrap) or set GOOSE_BWRAP to its path"
                            + off));
    Path prlimit =
        find("prlimit", SandboxSettings.DEFAULT_PATH)
            .orElseThrow(
                () -> new ConfigException(on + "prlimit is missing: install util-linux" + off));
    Bubblewrap b = new Bubblewrap(bwrap, prlimit, settings);
    b.probe(on, off);
    return b;
  }

  private void probe(String on, String off) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("goose-sandbox-probe");
      Path real = scratch.toRealPath();
      Process p =
          new ProcessBuilder(argv(List.of("true"), WorkspaceDir.open(real)))
              .directory(real.toFile())
              .redirectErrorStream(true)
              .redirectInput(new File("/dev/null"))
              .start();
      p.getOutputStream().close();
      boolean done = p.waitFor(30, TimeUnit.SECONDS);
      String output = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
      if (!done) p.destroyForcibly();
      if (!done || p.exitValue() != 0) {
        String why = output.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
        throw new ConfigException(
            on
                + bwrap
                + " cannot create its sandbox here ("
                + (done ? why.strip() : "no answer within 30 s")
                + "): allow unprivileged user namespaces, or in a container run with the"
                + " seccomp profile and settings of docs/sandbox.md"
                + off);
      }
    } catch (IOException e) {
      throw new ConfigException(on + "running " + bwrap + " failed (" + e.getMessage() + ")" + off);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException(on + "the sandbox probe was interrupted" + off);
    } finally {
      if (scratch != null) {
        try {
          Files.deleteIfExists(scratch);
        } catch (IOException e) {
          // a temp directory left behind
        }
      }
    }
  }

  Path bwrap() {
    return bwrap;
  }

  /**
   * The full command line for {@code command} with {@code dir} read-write. The command runs only
   * once its working directory has proved to be {@code dir} ({@link WorkspaceDir}): bwrap mounts
   * the path, which may have changed since it was checked.
   */
  List<String> argv(List<String> command, WorkspaceDir dir) {
    return argv(command, dir, Optional.empty());
  }

  /**
   * The same, with {@code home} (from {@link #privateHome}), when given, a fresh empty tmpfs of
   * {@code GOOSE_SANDBOX_MAX_TMP_MB}: mounted after the workspace, so nothing the user wrote shows
   * there whatever the workspace is.
   */
  List<String> argv(List<String> command, WorkspaceDir dir, Optional<Path> home) {
    List<String> checked = new ArrayList<>(List.of("/bin/sh", "-c", CHECK_WORKSPACE));
    checked.add(dir.identity());
    checked.addAll(command);
    return argv(checked, dir.path(), home);
  }

  /**
   * Run by {@code sh -c} with the expected identity as {@code $0} and the command as {@code $@}:
   * the command runs in place of the shell when the working directory is the one checked.
   */
  private static final String CHECK_WORKSPACE =
      "[ \"$(command -p stat -c %D:%i .)\" = \"$0\" ] || { echo 'goose: the working directory changed while"
          + " the tool started (a symbolic link was swapped in); refused' >&2; exit 126; }; exec"
          + " \"$@\"";

  /** The full command line for {@code command} with {@code workspace} (a real path) read-write. */
  private List<String> argv(List<String> command, Path workspace, Optional<Path> home) {
    List<String> a = new ArrayList<>();
    a.add(bwrap.toString());
    a.add("--unshare-all");
    if (settings.network()) a.add("--share-net");
    a.addAll(List.of("--unshare-user", "--disable-userns", "--cap-drop", "ALL"));
    a.addAll(List.of("--die-with-parent", "--new-session", "--hostname", "goose-sandbox"));
    for (Path p : SYSTEM) system(a, p);
    if (settings.network()) resolvConf(a);
    add(a, "--dev", "/dev");
    add(a, "--proc", "/proc");
    add(a, "--size", Long.toString(settings.limits().maxTmpBytes()));
    add(a, "--tmpfs", "/tmp");
    add(a, "--symlink", "../tmp", "/var/tmp");
    // After /tmp, which would cover any of them that lies in the host's /tmp.
    for (Path p : settings.readOnly()) {
      if (!Files.exists(p)) continue;
      Path real = real(p);
      add(a, "--ro-bind", real.toString(), real.toString());
      if (!real.equals(p)) add(a, "--symlink", real.toString(), p.toString());
    }
    add(a, "--bind", workspace.toString(), workspace.toString());
    if (home.isPresent()) {
      add(a, "--size", Long.toString(settings.limits().maxTmpBytes()));
      add(a, "--tmpfs", home.get().toString());
    }
    List<Path> shown = shown(workspace);
    List<Path> hidden = new ArrayList<>(etcSecrets());
    hidden.addAll(settings.hidden());
    List<Path> covered =
        hidden.stream()
            .map(Bubblewrap::real)
            .filter(h -> shown.stream().anyMatch(h::startsWith))
            .toList();
    // All pins before any cover: a pin mounted later would bring back what a cover hid below it.
    pinAncestors(a, workspace, covered);
    for (Path h : covered) hide(a, h);
    // The sandbox's own root: nothing can be written outside /tmp and the workspace.
    add(a, "--remount-ro", "/");
    add(a, "--chdir", workspace.toString());
    a.add("--");
    ToolLimits l = settings.limits();
    a.add(prlimit.toString());
    a.add("--nproc=" + l.maxProcesses());
    a.add("--data=" + l.maxMemoryBytes());
    a.add("--core=0");
    a.add("--");
    a.addAll(command);
    return a;
  }

  /**
   * The private {@code HOME} of an extension's server in {@code workspace}: the first of {@link
   * #PRIVATE_HOMES} apart from every path the sandbox shows.
   */
  Path privateHome(Path workspace) throws IOException {
    return privateHome(shown(workspace))
        .orElseThrow(
            () ->
                new IOException(
                    "no place for the extension's private HOME: "
                        + PRIVATE_HOMES
                        + " all overlap the workspace or GOOSE_SANDBOX_READ_ONLY"));
  }

  static Optional<Path> privateHome(List<Path> shown) {
    return PRIVATE_HOMES.stream()
        .filter(h -> shown.stream().noneMatch(p -> p.startsWith(h) || h.startsWith(p)))
        .findFirst();
  }

  /** The roots the sandbox shows from the host: the system, the read-only extras, the workspace. */
  List<Path> shown(Path workspace) {
    List<Path> shown = new ArrayList<>();
    for (Path p : SYSTEM) if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) shown.add(p);
    settings.readOnly().forEach(p -> shown.add(real(p)));
    shown.add(workspace);
    return shown;
  }

  private static void system(List<String> a, Path p) {
    if (Files.isSymbolicLink(p)) {
      try {
        add(a, "--symlink", Files.readSymbolicLink(p).toString(), p.toString());
      } catch (IOException e) {
        // unreadable link: leave it out
      }
    } else if (Files.isDirectory(p)) {
      add(a, "--ro-bind", p.toString(), p.toString());
    }
  }

  /** /etc/resolv.conf is often a link into /run (systemd-resolved): show what it points at. */
  private static void resolvConf(List<String> a) {
    Path link = Path.of("/etc/resolv.conf");
    if (!Files.isSymbolicLink(link)) return;
    Path target = real(link);
    if (Files.isRegularFile(target) && !target.startsWith("/etc"))
      add(a, "--ro-bind", target.toString(), target.toString());
  }

  private static List<Path> etcSecrets() {
    List<Path> out = new ArrayList<>(ETC_SECRETS);
    Path ssh = Path.of("/etc/ssh");
    if (Files.isDirectory(ssh)) {
      try (DirectoryStream<Path> keys = Files.newDirectoryStream(ssh, "ssh_host_*key")) {
        keys.forEach(out::add);
      } catch (IOException e) {
        // unreadable: nothing to show either
      }
    }
    return out;
  }

  /**
   * Each directory between the workspace and a hidden path in it, mounted on itself, parents first:
   * a mount point cannot be renamed (EBUSY), so no tool can move a hidden directory's parent aside,
   * which would leave the next sandbox nothing to cover at the hidden path and the directory in
   * plain view under its new name.
   */
  private static void pinAncestors(List<String> a, Path workspace, List<Path> hidden) {
    SortedSet<Path> between =
        new TreeSet<>(Comparator.comparingInt(Path::getNameCount).thenComparing(p -> p));
    for (Path h : hidden) {
      if (!h.startsWith(workspace)) continue;
      for (Path p = h.getParent();
          p != null && !p.equals(workspace) && p.startsWith(workspace);
          p = p.getParent()) between.add(p);
    }
    for (Path p : between)
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
        add(a, "--bind", p.toString(), p.toString());
  }

  /** An empty read-only directory, or an unreadable empty file, in place of {@code p}. */
  private static void hide(List<String> a, Path p) {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      add(a, "--tmpfs", p.toString());
      add(a, "--remount-ro", p.toString());
    } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(p)) {
      add(a, "--ro-bind", "/dev/null", p.toString());
    }
  }

  static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private static void add(List<String> a, String... words) {
    a.addAll(List.of(words));
  }

  static Optional<Path> find(String program, String path) {
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }
}
