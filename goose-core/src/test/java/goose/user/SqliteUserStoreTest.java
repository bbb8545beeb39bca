package goose.user;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user store contract on a real SQLite file, and that the file never holds a token in clear.
 */
class SqliteUserStoreTest extends UserStoreContract {
  @TempDir Path dir;
  private int configs;

  @Override
  protected Config newConfig() throws Exception {
    Path root = dir.resolve("root" + ++configs);
    Files.createDirectories(root.resolve("home"));
    return Config.load(Map.of("GOOSE_PATH_ROOT", root.toString()), root.resolve("home"));
  }

  @Test
  void theDatabaseFileHoldsOnlyTheHashOfAToken() throws Exception {
    Config config = newConfig();
    String token;
    try (UserStore users = UserStores.open(config)) {
      token = users.add("frank", false).token();
    }
    byte[] file = Files.readAllBytes(config.paths().sessionsDir().resolve("sessions.db"));
    String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(text)
        .doesNotContain(token)
        .doesNotContain(token.substring(6))
        .contains(ApiTokens.hash(token));
  }
}
