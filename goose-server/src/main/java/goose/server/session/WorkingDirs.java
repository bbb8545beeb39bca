package goose.server.session;

import goose.error.ErrorMessages;
import goose.server.http.ApiException;
import goose.session.WorkingDirectories;
import java.nio.file.Path;

/**
 * A session's working directory: an absolute path to an existing directory, stored in its real form
 * (symlinks and ".." resolved); {@link WorkingDirectories} is the rule, this the 400 naming the
 * field.
 */
final class WorkingDirs {
  private WorkingDirs() {}

  static Path check(String cwd, String field) {
    try {
      return WorkingDirectories.resolve(cwd);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField(field, ErrorMessages.of(e));
    }
  }
}
