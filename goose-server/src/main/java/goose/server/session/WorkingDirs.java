package goose.server.session;

import goose.server.http.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A session's working directory: an absolute path to an existing directory, stored in its real form
 * (symlinks and ".." resolved).
 */
final class WorkingDirs {
  private WorkingDirs() {}

  static Path check(String cwd, String field) {
    if (cwd.isBlank()) throw ApiException.badField(field, "must not be blank");
    if (cwd.length() > 4096) throw ApiException.badField(field, "is longer than 4096 characters");
    Path path;
    try {
      path = Path.of(cwd);
    } catch (InvalidPathException e) {
      throw ApiException.badField(field, "is not a valid path");
    }
    if (!path.isAbsolute()) throw ApiException.badField(field, "must be an absolute path");
    if (!Files.isDirectory(path))
      throw ApiException.badField(field, "is not an existing directory");
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw ApiException.badField(field, "is not an existing directory");
    }
  }
}
