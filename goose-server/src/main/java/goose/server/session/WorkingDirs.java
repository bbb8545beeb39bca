package goose.server.session;

import goose.error.ErrorMessages;
import goose.server.auth.Workspaces;
import goose.server.http.ApiException;
import goose.server.http.RequestUser;
import goose.session.WorkingDirectories;
import java.nio.file.Path;

/**
 * A session's working directory: an absolute path to an existing directory, stored in its real form
 * (symlinks and ".." resolved); {@link WorkingDirectories} is the rule, this the 400 naming the
 * field.
 */
final class WorkingDirs {
  private WorkingDirs() {}

  /**
   * The real directory; a path that does not resolve is refused as outside {@code user}'s workspace
   * when it lies outside it ({@link Workspaces#refusalOfUnresolved}), else as what it is.
   */
  static Path check(String cwd, String field, Workspaces workspaces, RequestUser user) {
    try {
      return WorkingDirectories.resolve(cwd);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField(
          field, workspaces.refusalOfUnresolved(user, cwd).orElseGet(() -> ErrorMessages.of(e)));
    }
  }
}
