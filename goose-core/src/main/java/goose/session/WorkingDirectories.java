package goose.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The rule for a session's working directory, whichever face creates the session: an absolute path
 * to an existing directory, kept in its real form (symlinks and ".." resolved).
 */
public final class WorkingDirectories {
  public static final int MAX_LENGTH = 4096;

  private WorkingDirectories() {}

  /**
   * The real path of {@code cwd}; throws {@link IllegalArgumentException} whose message completes
   * "cwd ..." (for example "must be an absolute path").
   */
  public static Path resolve(String cwd) {
    if (cwd.isBlank()) throw new IllegalArgumentException("must not be blank");
    if (cwd.length() > MAX_LENGTH)
      throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
    Path path;
    try {
      path = Path.of(cwd);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("is not a valid path");
    }
    if (!path.isAbsolute()) throw new IllegalArgumentException("must be an absolute path");
    if (!Files.isDirectory(path))
      throw new IllegalArgumentException("is not an existing directory");
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("is not an existing directory");
    }
  }
}
