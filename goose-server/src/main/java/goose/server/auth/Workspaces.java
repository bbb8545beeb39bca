package goose.server.auth;

import goose.config.Config;
import goose.config.ConfigException;
import goose.config.ConfigKey;
import goose.server.http.ApiException;
import goose.server.http.ErrorCode;
import goose.server.http.RequestUser;
import goose.user.UserNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GOOSE_WORKSPACES_ROOT}: when set, a session's working directory must lie inside {@code
 * <root>/<user name>/}, compared after resolving symlinks and {@code ..} (the caller passes the
 * real path), so a link inside the workspace pointing elsewhere does not get out. The user's
 * directory is created on first use.
 *
 * <p>The directory is named after the user, but owned by the user's id: {@code
 * <root>/.owners/<name>} records the id that first used it. A later user of the same name (the
 * first one removed, another added) gets a different id and is refused the directory until an
 * operator moves it away ({@code goose users remove} does that itself, see {@link #retire}). The
 * record lies outside every workspace, so a session's tools cannot rewrite it.
 */
public record Workspaces(Optional<Path> root) {
  static final String OWNERS = ".owners";
  static final String RETIRED = ".removed";

  public static Workspaces none() {
    return new Workspaces(Optional.empty());
  }

  /**
   * {@code GOOSE_WORKSPACES_ROOT} of this configuration; {@link ConfigException} when it is not an
   * absolute path to an existing directory.
   */
  public static Workspaces fromConfig(Config config) {
    Optional<String> root = config.get(ConfigKey.WORKSPACES_ROOT.name()).filter(s -> !s.isBlank());
    if (root.isEmpty()) return none();
    try {
      Path path = Path.of(root.get().strip());
      if (!path.isAbsolute())
        throw new ConfigException(
            "GOOSE_WORKSPACES_ROOT must be an absolute path, got \"" + root.get() + "\"");
      return at(path);
    } catch (java.nio.file.InvalidPathException | IOException e) {
      throw new ConfigException(
          "GOOSE_WORKSPACES_ROOT: " + root.get() + " is not an existing directory");
    }
  }

  /** The root as configured; it must exist (resolved to its real path once, at start). */
  public static Workspaces at(Path root) throws IOException {
    return new Workspaces(Optional.of(root.toRealPath()));
  }

  /**
   * The user's workspace directory, created (and claimed for the user's id) if missing; empty when
   * no root is configured. {@code 409} when the directory belongs to an earlier user of that name.
   */
  public Optional<Path> workspaceOf(RequestUser user) {
    return root.map(
        r -> {
          Path dir = r.resolve(user.name());
          try {
            claim(r, user);
            Files.createDirectories(dir);
            return dir.toRealPath();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot create the workspace " + dir, e);
          }
        });
  }

  /**
   * Checks a session's real working directory against the user's workspace (400 naming the field
   * when outside).
   */
  public void check(RequestUser user, Path realCwd, String field) {
    refusal(user, realCwd)
        .ifPresent(
            why -> {
              throw ApiException.badField(field, why);
            });
  }

  /** Why a session of {@code user} may not work in {@code realCwd}; empty when it may. */
  public Optional<String> refusal(RequestUser user, Path realCwd) {
    if (!contains(user, realCwd)) {
      return Optional.of(
          "must lie inside your workspace "
              + workspaceOf(user).orElseThrow()
              + " (GOOSE_WORKSPACES_ROOT), after resolving symlinks");
    }
    return Optional.empty();
  }

  /**
   * For a path that could not be resolved (missing, or not a directory): the refusal of {@link
   * #refusal} when the path, taken as written ({@code ..} folded), does not lie in the user's
   * workspace, so that whether something exists outside it (another user's project, say) is not the
   * user's to learn from the error; empty without a root or for a path in the workspace.
   */
  public Optional<String> refusalOfUnresolved(RequestUser user, String path) {
    if (root.isEmpty()) return Optional.empty();
    Path asWritten;
    try {
      asWritten = Path.of(path).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      return Optional.empty();
    }
    return asWritten.startsWith(workspaceOf(user).orElseThrow())
        ? Optional.empty()
        : refusal(user, asWritten);
  }

  /**
   * Whether a real path (symlinks and {@code ..} resolved) lies in the user's workspace; always
   * true without a root.
   */
  public boolean contains(RequestUser user, Path realPath) {
    return workspaceOf(user).map(realPath::startsWith).orElse(true);
  }

  /**
   * Moves a removed user's workspace to {@code <root>/.removed/<name>-<time>} and forgets its
   * owner, so that a later user of the same name starts empty. Empty when there was nothing to
   * move.
   */
  public Optional<Path> retire(String name) throws IOException {
    if (root.isEmpty() || !UserNames.isValid(name)) return Optional.empty();
    Path dir = root.get().resolve(name);
    Files.deleteIfExists(root.get().resolve(OWNERS).resolve(name));
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
    Path retired =
        Files.createDirectories(root.get().resolve(RETIRED))
            .resolve(name + "-" + Instant.now().toString().replace(':', '-'));
    return Optional.of(Files.move(dir, retired, StandardCopyOption.ATOMIC_MOVE));
  }

  /**
   * Records the user's id as the owner of {@code <root>/<name>} unless one is recorded; refuses an
   * id other than the recorded one. A directory made before owners were recorded is claimed by its
   * first user.
   */
  private static void claim(Path root, RequestUser user) throws IOException {
    Path owners = Files.createDirectories(root.resolve(OWNERS));
    Path record = owners.resolve(user.name());
    try {
      Files.writeString(record, user.id(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      return;
    } catch (FileAlreadyExistsException taken) {
      // somebody claimed it, maybe this user: read who
    }
    String owner = Files.readString(record, StandardCharsets.UTF_8).strip();
    if (owner.isEmpty()) { // a claim cut short by a crash
      Files.writeString(record, user.id(), StandardCharsets.UTF_8);
      return;
    }
    if (!owner.equals(user.id())) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "the workspace "
              + root.resolve(user.name())
              + " belonged to an earlier user named "
              + user.name()
              + ": an operator must move it away (goose users remove does) before you can use it");
    }
  }
}
