package goose.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The workspace as the sandboxed shell sees it, for in-process tools. {@link #resolve} accepts a
 * path only when, after resolving {@code ..} and every symbolic link, it lies in the workspace and
 * outside the hidden paths. Every later operation walks from the workspace one name at a time with
 * {@code openat(O_NOFOLLOW)} (Java's {@link SecureDirectoryStream}), so a symbolic link swapped in
 * after the check makes the operation fail instead of leading out. Missing parent directories are
 * created by {@code mkdir -p} inside the sandbox, where nothing outside the workspace exists (the
 * JDK has no {@code mkdirat}).
 */
final class ConfinedFiles implements WorkspaceFiles {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final WorkspaceDir workspaceDir;
  private final Path workspace;
  private final List<Path> hidden;
  private final Sandbox sandbox;

  ConfinedFiles(WorkspaceDir workspaceDir, List<Path> hidden, Sandbox sandbox) {
    this.workspaceDir = workspaceDir;
    this.workspace = workspaceDir.path();
    this.hidden = List.copyOf(hidden);
    this.sandbox = sandbox;
  }

  @Override
  public Path resolve(String raw) throws IOException {
    if (raw.isBlank()) throw new FileRefusedException("the path must not be empty");
    Path p;
    if (raw.equals("~")) p = workspace;
    else if (raw.startsWith("~/")) p = workspace.resolve(raw.substring(2));
    else p = Path.of(raw);
    Path absolute = (p.isAbsolute() ? p : workspace.resolve(p)).normalize();
    if (!absolute.startsWith(workspace)) {
      throw new FileRefusedException(
          raw + " is outside the session's workspace " + workspace + ": tools may not reach it");
    }
    Path real = real(absolute);
    if (!real.startsWith(workspace)) {
      // Not where it leads: the target is resolved with the server's view (its /proc/self, other
      // users' links), which the session must not learn.
      throw new FileRefusedException(
          raw
              + " leads outside the session's workspace through a symbolic link: tools may not"
              + " reach it");
    }
    for (Path h : hidden) {
      if (real.startsWith(h))
        throw new FileRefusedException(
            raw + " is in the server's own files: tools may not reach it");
    }
    return real;
  }

  /**
   * The real path of the longest existing prefix, with the missing names after it; a dangling
   * symbolic link counts as existing and is followed to where it points.
   */
  private static Path real(Path absolute) throws IOException {
    return real(absolute, 0);
  }

  private static Path real(Path absolute, int links) throws IOException {
    if (links > 40) throw new FileRefusedException(absolute + ": too many symbolic links");
    Path existing = absolute;
    List<Path> missing = new ArrayList<>();
    while (existing.getParent() != null && !Files.exists(existing, NOFOLLOW)) {
      missing.addFirst(existing.getFileName());
      existing = existing.getParent();
    }
    Path real;
    Path parent = existing.getParent();
    if (parent != null && Files.isSymbolicLink(existing) && !Files.exists(existing)) {
      Path target = Files.readSymbolicLink(existing);
      real = real(parent.toRealPath().resolve(target).normalize(), links + 1);
    } else {
      real = existing.toRealPath();
    }
    for (Path name : missing) real = real.resolve(name);
    return real;
  }

  @Override
  public Kind kind(Path path) throws IOException {
    if (path.equals(workspace)) return Kind.DIRECTORY;
    try (SecureDirectoryStream<Path> parent = openDirectory(parentOf(path))) {
      return kindOf(attributes(parent, path));
    } catch (NoSuchFileException e) {
      return Kind.MISSING;
    }
  }

  @Override
  public long size(Path path) throws IOException {
    try (SecureDirectoryStream<Path> parent = openDirectory(parentOf(path))) {
      return attributes(parent, path).size();
    }
  }

  @Override
  public byte[] read(Path path) throws IOException {
    try (SecureDirectoryStream<Path> parent = openDirectory(parentOf(path));
        SeekableByteChannel channel =
            open(parent, path, Set.of(StandardOpenOption.READ, NOFOLLOW));
        InputStream in = Channels.newInputStream(channel)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void write(Path path, byte[] content) throws IOException {
    Path dir = parentOf(path);
    if (kind(dir) == Kind.MISSING) makeDirectories(dir);
    Set<OpenOption> options =
        Set.of(
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            NOFOLLOW);
    try (SecureDirectoryStream<Path> parent = openDirectory(dir);
        SeekableByteChannel channel = open(parent, path, options);
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(content);
    }
  }

  @Override
  public OutputStream create(Path path) throws IOException {
    Path dir = parentOf(path);
    if (kind(dir) == Kind.MISSING) makeDirectories(dir);
    Set<OpenOption> options =
        Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, NOFOLLOW);
    // The channel is the file's own descriptor: it stays open after the directory is closed.
    try (SecureDirectoryStream<Path> parent = openDirectory(dir)) {
      return Channels.newOutputStream(open(parent, path, options));
    }
  }

  @Override
  public boolean delete(Path path) throws IOException {
    try (SecureDirectoryStream<Path> parent = openDirectory(parentOf(path))) {
      parent.deleteFile(path.getFileName());
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public List<Entry> list(Path directory) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (SecureDirectoryStream<Path> dir = openDirectory(directory)) {
      for (Path entry : dir) {
        Path name = entry.getFileName();
        Kind kind;
        try {
          kind =
              kindOf(
                  dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
                      .readAttributes());
        } catch (NoSuchFileException e) {
          continue; // removed meanwhile
        }
        out.add(new Entry(name.toString(), kind));
      }
    }
    out.sort(Comparator.comparing(Entry::name));
    return out;
  }

  private static Kind kindOf(BasicFileAttributes a) {
    if (a.isRegularFile()) return Kind.FILE;
    if (a.isDirectory()) return Kind.DIRECTORY;
    return Kind.OTHER; // a symbolic link among them: never followed
  }

  private BasicFileAttributes attributes(SecureDirectoryStream<Path> parent, Path path)
      throws IOException {
    BasicFileAttributes a =
        parent
            .getFileAttributeView(path.getFileName(), BasicFileAttributeView.class, NOFOLLOW)
            .readAttributes();
    if (a.isSymbolicLink()) throw swapped(path);
    return a;
  }

  private SeekableByteChannel open(
      SecureDirectoryStream<Path> parent, Path path, Set<? extends OpenOption> options)
      throws IOException {
    try {
      return parent.newByteChannel(path.getFileName(), options);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) { // ELOOP: O_NOFOLLOW met a symbolic link
      if (WorkspaceDir.isLink(parent, path.getFileName())) throw swapped(path);
      throw e;
    }
  }

  /** The directory that holds {@code path}; the file-system root has none. */
  private static Path parentOf(Path path) throws FileRefusedException {
    Path parent = path.getParent();
    if (parent == null) throw new FileRefusedException(path + " is outside the workspace");
    return parent;
  }

  /**
   * The directory {@code dir} (inside the workspace), opened name by name from the workspace
   * without following a symbolic link anywhere.
   */
  // The stream is handed to the caller, who closes it (every failure path here closes it first):
  // an ownership transfer StreamResourceLeak cannot see.
  @SuppressWarnings("StreamResourceLeak")
  private SecureDirectoryStream<Path> openDirectory(Path dir) throws IOException {
    if (!dir.startsWith(workspace))
      throw new FileRefusedException(dir + " is outside the workspace");
    SecureDirectoryStream<Path> root = WorkspaceDir.openSecure(workspace);
    if (!workspaceDir.isIdentityOf(root)) { // its path now leads elsewhere (WorkspaceDir)
      root.close();
      throw swapped(workspace);
    }
    return WorkspaceDir.descend(
        root, workspace, workspace.relativize(dir), (reached, e, link) -> link ? swapped(dir) : e);
  }

  private static FileRefusedException swapped(Path path) {
    return new FileRefusedException(
        path + " changed while in use: a symbolic link appeared on its way; refused");
  }

  private void makeDirectories(Path dir) throws IOException {
    ToolProcess mkdir =
        sandbox.start(
            new ToolLaunch(
                List.of("mkdir", "-p", "--", dir.toString()),
                workspace,
                Map.of(),
                ToolLaunch.Streams.MERGED_WITHOUT_INPUT,
                ToolLaunch.Kind.SESSION));
    Process p = mkdir.process();
    try {
      boolean done = p.waitFor(30, TimeUnit.SECONDS);
      String output =
          new String(p.getInputStream().readNBytes(2048), StandardCharsets.UTF_8).strip();
      if (!done) {
        ProcessTree.terminate(p, java.time.Duration.ZERO);
        throw new IOException("creating " + dir + " took too long");
      }
      if (p.exitValue() != 0) throw new IOException("cannot create " + dir + ": " + output);
    } catch (InterruptedException e) {
      ProcessTree.terminate(p, java.time.Duration.ZERO);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while creating " + dir);
    }
  }
}
