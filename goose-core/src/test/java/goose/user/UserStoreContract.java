package goose.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.session.NewSession;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link UserStore} must do, run on SQLite and on a real PostgreSQL server. */
abstract class UserStoreContract {

  /** A configuration naming a fresh, empty database. */
  protected abstract Config newConfig() throws Exception;

  @Test
  void anAddedUsersTokenAuthenticatesItAndNothingElseDoes() throws Exception {
    try (UserStore users = UserStores.open(newConfig())) {
      IssuedToken alice = users.add("alice", false);
      IssuedToken root = users.add("root@example.com", true);

      assertThat(alice.token()).startsWith("goose_").hasSize(49).isNotEqualTo(root.token());
      assertThat(users.authenticate(alice.token())).map(User::name).contains("alice");
      assertThat(users.authenticate(root.token())).map(User::admin).contains(true);
      assertThat(users.authenticate(alice.token() + "x")).isEmpty();
      assertThat(users.authenticate("")).isEmpty();
      assertThat(users.authenticate("goose_\u0000" + alice.token())).isEmpty();
      assertThat(users.authenticate("x".repeat(10_000))).isEmpty();
      assertThat(users.authenticate(ApiTokens.hash(alice.token())))
          .as("the stored hash is not a token")
          .isEmpty();
      assertThat(users.list()).extracting(User::name).containsExactly("alice", "root@example.com");
      assertThat(alice.toString()).doesNotContain(alice.token());
    }
  }

  @Test
  void rotateReplacesTheTokenAndRemoveRevokesIt() throws Exception {
    try (UserStore users = UserStores.open(newConfig())) {
      IssuedToken first = users.add("bob", false);
      IssuedToken second = users.rotate("bob").orElseThrow();

      assertThat(users.authenticate(first.token())).isEmpty();
      assertThat(users.authenticate(second.token())).map(User::name).contains("bob");
      assertThat(second.user().tokenCreatedAt()).isAfterOrEqualTo(first.user().tokenCreatedAt());
      assertThat(users.rotate("nobody")).isEmpty();

      assertThat(users.remove("bob")).isTrue();
      assertThat(users.remove("bob")).isFalse();
      assertThat(users.authenticate(second.token())).isEmpty();
      assertThat(users.list()).isEmpty();
    }
  }

  @Test
  void namesAreUniqueAndSafeForPaths() throws Exception {
    try (UserStore users = UserStores.open(newConfig())) {
      users.add("carol", false);
      assertThatThrownBy(() -> users.add("carol", true))
          .isInstanceOf(UserExistsException.class)
          .hasMessageContaining("rotate");
      for (String bad :
          List.of("", "..", ".hidden", "a/b", "a\\b", "a b", "x".repeat(65), "nul\u0000", "é")) {
        assertThatThrownBy(() -> users.add(bad, false))
            .as(bad)
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(users.list()).extracting(User::name).containsExactly("carol");
    }
  }

  @Test
  void twoStoresOnOneDatabaseSeeEachOthersChangesAtOnce() throws Exception {
    Config config = newConfig();
    try (UserStore server = UserStores.open(config);
        UserStore cli = UserStores.open(config)) {
      IssuedToken dave = cli.add("dave", false);
      assertThat(server.authenticate(dave.token())).isPresent();
      assertThat(server.existsById(dave.user().id())).isTrue();
      assertThat(server.existsById("dave")).as("the name is not the id").isFalse();
      cli.remove("dave");
      assertThat(server.authenticate(dave.token())).isEmpty();
      // What a running turn of dave's asks before each model call and tool call.
      assertThat(server.existsById(dave.user().id())).isFalse();
      IssuedToken again = cli.add("dave", false);
      assertThat(server.existsById(dave.user().id())).as("a new dave is another id").isFalse();
      assertThat(server.existsById(again.user().id())).isTrue();
    }
  }

  @Test
  void usersLiveBesideTheSessionsInOneDatabase() throws Exception {
    Config config = newConfig();
    try (SessionStore sessions = SessionStores.open(config);
        UserStore users = UserStores.open(config)) {
      users.add("erin", false);
      sessions.create(new NewSession("erin", "s", Path.of("/tmp")));
      assertThat(users.get("erin")).isPresent();
      assertThat(users.remove("erin")).isTrue();
      assertThat(
              sessions
                  .list(
                      "erin",
                      new goose.session.SessionQuery(
                          10, java.util.Optional.empty(), java.util.Optional.empty()))
                  .items())
          .as("removing a user keeps its sessions")
          .hasSize(1);
    }
  }

  @Test
  void aLaterUserOfARemovedNameGetsANewIdAndNoneOfTheOldData() throws Exception {
    Config config = newConfig();
    try (SessionStore sessions = SessionStores.open(config);
        UserStore users = UserStores.open(config)) {
      User first = users.add("grace", false).user();
      assertThat(first.id()).startsWith("grace#").isNotEqualTo("grace");
      assertThat(users.get("grace")).map(User::id).contains(first.id());
      var query =
          new goose.session.SessionQuery(
              10, java.util.Optional.empty(), java.util.Optional.empty());
      sessions.create(new NewSession(first.id(), "graces", Path.of("/tmp")));
      var approvals = SessionStores.approvals(sessions);
      approvals.alwaysAllow(first.id(), "developer__shell");

      assertThat(users.remove("grace")).isTrue();
      IssuedToken again = users.add("grace", false);
      User second = again.user();
      assertThat(second.id()).startsWith("grace#").isNotEqualTo(first.id());
      assertThat(users.authenticate(again.token())).map(User::id).contains(second.id());
      assertThat(sessions.list(second.id(), query).items())
          .as("the newcomer owns nothing of the removed user")
          .isEmpty();
      assertThat(approvals.isAlwaysAllowed(second.id(), "developer__shell")).isFalse();
      assertThat(sessions.list(first.id(), query).items())
          .as("the removed user's data stays, unreachable")
          .hasSize(1);
      assertThat(sessions.list("grace", query).items()).as("nor by the bare name").isEmpty();
    }
  }

  @Test
  void namesTheServerUsesItselfAreRefused() throws Exception {
    try (UserStore users = UserStores.open(newConfig())) {
      for (String reserved : List.of("local", "Local", "LOCAL")) {
        assertThatThrownBy(() -> users.add(reserved, true))
            .as(reserved)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("uses itself");
      }
      assertThat(users.list()).isEmpty();
      assertThat(users.add("locally", false).user().name()).isEqualTo("locally");
    }
  }
}
