package goose.cli.session;

import goose.config.Config;
import goose.server.auth.AuthMode;
import goose.server.auth.AuthSettings;
import goose.server.http.RequestUser;
import goose.session.Session;
import goose.session.SessionStore;
import goose.user.User;
import goose.user.UserNames;
import goose.user.UserStore;
import goose.user.UserStores;
import picocli.CommandLine.Option;

/** The {@code --user} option of the session commands: whose sessions they see. */
final class SessionOwner {
  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "The user whose sessions to use (default: ${DEFAULT-VALUE}).")
  String user = UserNames.LOCAL;

  /**
   * The user as the server knows them: with {@code GOOSE_AUTH=tokens} a token user's data belongs
   * to the id given when they were added (looked up here; an unknown name is an error), in every
   * other mode to the name itself.
   */
  RequestUser resolve(Config config) {
    if (user.equals(UserNames.LOCAL) || AuthSettings.modeOf(config) != AuthMode.TOKENS)
      return RequestUser.named(user, false);
    try (UserStore users = UserStores.open(config)) {
      User found =
          users
              .get(user)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no user " + user + " (see 'goose users list')"));
      return new RequestUser(found.name(), found.id(), found.admin());
    }
  }

  /**
   * The session {@code id} of this user ({@link #resolve}d), or an error naming both.
   *
   * @throws IllegalArgumentException when the user has no such session
   */
  Session session(Config config, SessionStore store, String id) {
    return store
        .get(resolve(config).id(), id)
        .orElseThrow(() -> new IllegalArgumentException("no session " + id + " of user " + user));
  }
}
