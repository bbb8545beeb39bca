package goose.server.auth;

import goose.server.http.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code GOOSE_WORKSPACES_ROOT}: when set, a session's working directory must lie inside {@code
 * <root>/<user>/}, compared after resolving symlinks and {@code ..} (the caller passes the real
 * path), so a link inside the workspace pointing elsewhere does not get out. The user's directory
 * is created on first use. This confines where sessions start, not what tools may touch: see
 * SECURITY.md.
 */
public record Workspaces(Optional<Path> root) {

  public static Workspaces none() {
    return new Workspaces(Optional.empty());
  }

  /** The root as configured; it must exist (resolved to its real path once, at start). */
  public static Workspaces at(Path root) throws IOException {
    return new Workspaces(Optional.of(root.toRealPath()));
  }

  /** The user's workspace directory, created if missing; empty when no root is configured. */
  public Optional<Path> workspaceOf(String user) {
    return root.map(
        r -> {
          Path dir = r.resolve(user);
          try {
            Files.createDirectories(dir);
            return dir.toRealPath();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the workspace " + dir, e);
          }
        });
  }

  /**
   * Checks a session's real working directory against the user's workspace (400 naming the field
   * when outside).
   */
  public void check(String user, Path realCwd, String field) {
    refusal(user, realCwd)
        .ifPresent(
            why -> {
              throw ApiException.badField(field, why);
            });
  }

  /** Why a session of {@code user} may not work in {@code realCwd}; empty when it may. */
  public Optional<String> refusal(String user, Path realCwd) {
    Optional<Path> workspace = workspaceOf(user);
    if (workspace.isPresent() && !realCwd.startsWith(workspace.get())) {
      return Optional.of(
          "must lie inside your workspace "
              + workspace.get()
              + " (GOOSE_WORKSPACES_ROOT), after resolving symlinks");
    }
    return Optional.empty();
  }
}
