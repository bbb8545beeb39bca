package goose.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session's working directory as the sandbox takes it: the directory the session was created in
 * (a real path, stored with every link resolved), reached again name by name from {@code /} without
 * following a symbolic link ({@code openat(O_NOFOLLOW)}, Java's {@link SecureDirectoryStream}), and
 * its identity: device and inode, as {@code stat -c %D:%i} prints them.
 *
 * <p>Why: a session's tools may rename and link inside their workspace. A directory of it that is
 * another session's working directory can become a link to anywhere (another user's workspace);
 * resolving the path again at the next launch would follow it. So a path that now goes through a
 * link is refused, and since the path could still change between this walk and bwrap's mount, the
 * sandboxed process checks the identity of its working directory before the tool runs ({@link
 * Bubblewrap#argv}), and in-process tools check it on every walk ({@link ConfinedFiles}).
 *
 * @param path the working directory, absolute and free of links
 * @param identity {@code DEV:INODE}, the device number in hex and the inode in decimal
 */
record WorkspaceDir(Path path, String identity) {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** The JDK's Unix file key: {@code (dev=803,ino=1234)}. */
  private static final Pattern FILE_KEY = Pattern.compile("\\(dev=([0-9a-f]+),ino=([0-9]+)\\)");

  /**
   * Walks to {@code workingDir}; throws {@link IOException} saying why it is not usable: missing,
   * not a directory, or reached through a symbolic link.
   */
  static WorkspaceDir open(Path workingDir) throws IOException {
    Path path = workingDir.toAbsolutePath().normalize();
    Path root = path.getRoot();
    if (root == null) throw new IOException("the working directory " + path + " is not absolute");
    try (SecureDirectoryStream<Path> dir = walk(root, path)) {
      return new WorkspaceDir(path, identityOf(dir));
    }
  }

  /** Whether {@code dir} (an open directory) is this one. */
  boolean isIdentityOf(SecureDirectoryStream<Path> dir) throws IOException {
    return identity.equals(identityOf(dir));
  }

  private static String identityOf(SecureDirectoryStream<Path> dir) throws IOException {
    Object key = dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
    Matcher m = FILE_KEY.matcher(String.valueOf(key));
    if (!m.matches()) throw new IOException("cannot identify a directory by its file key " + key);
    return m.group(1) + ":" + m.group(2);
  }

  private static SecureDirectoryStream<Path> walk(Path root, Path path) throws IOException {
    return descend(
        openSecure(root),
        root,
        path,
        (reached, cause, link) -> {
          if (cause instanceof NoSuchFileException)
            return new IOException("the working directory " + path + " does not exist");
          if (link)
            return new IOException(
                "the working directory "
                    + path
                    + " now goes through a symbolic link ("
                    + reached
                    + "), which the sandbox does not follow: a session works in the directory it"
                    + " was created in; start a new session in the directory you mean");
          if (cause instanceof NotDirectoryException || !isDirectory(reached))
            return new IOException("the working directory " + path + " is not a directory");
          return cause;
        });
  }

  /** Why a step of {@link #descend} failed, as the exception its caller throws. */
  @FunctionalInterface
  interface Refusal {
    /**
     * The exception to throw for a failed step.
     *
     * @param reached the path whose opening failed
     * @param cause the failure
     * @param link whether that name is a symbolic link (never for a missing one)
     */
    IOException of(Path reached, IOException cause, boolean link);
  }

  /** {@code dir} opened for {@code openat} walks; the platform must offer them. */
  // The stream is handed to the caller, who closes it.
  @SuppressWarnings("StreamResourceLeak")
  static SecureDirectoryStream<Path> openSecure(Path dir) throws IOException {
    DirectoryStream<Path> opened = Files.newDirectoryStream(dir);
    if (opened instanceof SecureDirectoryStream<Path> secure) return secure;
    opened.close();
    throw new IOException("this platform cannot open files relative to a directory (openat)");
  }

  /**
   * From {@code from} (at {@code base}; closed here), opens each of {@code names} below the one
   * before without following a symbolic link anywhere; a step that fails throws what {@code
   * refusal} makes of it. The one walk of the sandbox's in-process checks: a session's directory
   * from {@code /} here, a file's directory from the workspace in {@link ConfinedFiles}.
   */
  // The stream is handed to the caller, who closes it (every failure path here closes it first).
  @SuppressWarnings("StreamResourceLeak")
  static SecureDirectoryStream<Path> descend(
      SecureDirectoryStream<Path> from, Path base, Path names, Refusal refusal) throws IOException {
    SecureDirectoryStream<Path> current = from;
    Path reached = base;
    for (Path name : names) {
      if (name.toString().isEmpty()) continue;
      reached = reached.resolve(name);
      SecureDirectoryStream<Path> next;
      try {
        next = current.newDirectoryStream(name, NOFOLLOW);
      } catch (IOException e) {
        boolean link = !(e instanceof NoSuchFileException) && isLink(current, name);
        current.close();
        throw refusal.of(reached, e, link);
      }
      current.close();
      current = next;
    }
    return current;
  }

  /** Whether {@code name} in {@code dir} is a symbolic link (false when it cannot be read). */
  static boolean isLink(SecureDirectoryStream<Path> dir, Path name) {
    try {
      return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
          .readAttributes()
          .isSymbolicLink();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isDirectory(Path reached) {
    return Files.isDirectory(reached, NOFOLLOW);
  }
}
