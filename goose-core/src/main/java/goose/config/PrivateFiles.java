package goose.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files only the server's own OS user may read: the data directory, the session store with its WAL
 * and shared-memory files, the logs. Directories are made {@code 0700} and files {@code 0600} when
 * created; one that already exists with group or other permissions is tightened to that, with a
 * warning naming it (these hold conversations, tool output and token hashes, and a looser mode is
 * almost always an accident of the umask). Nothing is ever loosened, and a path the server cannot
 * change (another owner) is left with a warning rather than stopping the start. On a file system
 * without POSIX permissions nothing is done.
 */
public final class PrivateFiles {
  private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  /** Creates {@code dir} (and missing parents) as {@code 0700}, or tightens it; returns it. */
  public static Path directory(Path dir) throws IOException {
    if (!posix(dir)) return Files.createDirectories(dir);
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) directory(parent);
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile by another process: tightened below like any existing one
      }
    }
    tighten(dir, DIRECTORY);
    return dir;
  }

  /** Creates an empty {@code 0600} file when missing, or tightens the existing one; returns it. */
  public static Path file(Path file) throws IOException {
    if (posix(file)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      } catch (FileAlreadyExistsException exists) {
        // tightened below
      }
    } else if (!Files.exists(file)) {
      Files.createFile(file);
    }
    tightenIfPresent(file);
    return file;
  }

  /** Tightens an existing file to {@code 0600}; nothing when it does not exist. */
  public static void tightenIfPresent(Path file) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) tighten(file, FILE);
  }

  private static void tighten(Path path, Set<PosixFilePermission> wanted) {
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) return;
    try {
      Set<PosixFilePermission> now = view.readAttributes().permissions();
      if (now.stream().noneMatch(GROUP_OR_OTHER::contains)) return;
      view.setPermissions(wanted);
      log.warn(
          "{} was open to other users ({}); made it {} (the server's user only)",
          path,
          PosixFilePermissions.toString(now),
          PosixFilePermissions.toString(wanted));
    } catch (IOException | SecurityException e) {
      log.warn(
          "{} is open to other users and its mode cannot be changed ({}): restrict it yourself",
          path,
          e.getMessage());
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
