package goose.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import goose.config.Config;
import goose.conversation.TokenUsage;
import goose.json.Json;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session's tokens, cache counts and estimated cost travel with its export. */
class UsageTransferTest {
  @TempDir Path dir;

  SessionStore store(String name) {
    Path root = dir.resolve(name);
    return SessionStores.open(Config.load(Map.of("GOOSE_PATH_ROOT", root.toString()), root));
  }

  @Test
  void cacheCountsAndCostSurviveExportAndImport() throws Exception {
    try (SessionStore from = store("a");
        SessionStore to = store("b")) {
      Session s = from.create(new NewSession("alice", "priced", dir));
      from.addUsage(s.id(), new TokenUsage(20_000, 100, 0, 19_000), OptionalDouble.of(0.08));
      from.addUsage(s.id(), new TokenUsage(20_400, 50, 19_000, 1_300), OptionalDouble.of(0.01));
      Session exported = from.get("alice", s.id()).orElseThrow();
      // Through JSON, as a file would carry it.
      SessionDocument doc =
          Json.MAPPER.readValue(
              Json.write(SessionTransfer.export(from, exported)), SessionDocument.class);

      Session imported = SessionTransfer.importAs(to, "bob", dir, doc);

      assertThat(imported.totalUsage()).isEqualTo(exported.totalUsage());
      assertThat(imported.lastUsage()).isEqualTo(exported.lastUsage());
      assertThat(imported.totalCostUsd().getAsDouble()).isCloseTo(0.09, within(1e-12));
    }
  }
}
