package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.ids.Ids;
import goose.json.Json;
import goose.session.NewSession;
import goose.session.Page;
import goose.session.Session;
import goose.session.SessionQuery;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.session.TestPostgres;
import goose.session.TurnStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goose session ...} against real stores: a SQLite file and a real (embedded) PostgreSQL.
 */
// First among the module's classes (the POM orders classes by @Order): it starts no goose JVM, so
// it runs while the class archive for those trains, which they wait for (ChildJvm.TRAINING_WAIT).
@Order(1)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SessionCommandTest {
  private static final int SESSIONS = 3000;
  private static final List<String> OWNERS = List.of("local", "alice");
  @RegisterExtension static final TestPostgres postgres = new TestPostgres();

  @TempDir Path root;

  private static String newDatabaseUrl() {
    return postgres.newDatabaseUrl();
  }

  private CliRun cli(Path pathRoot) {
    return new CliRun(root.resolve("home")).env("GOOSE_PATH_ROOT", pathRoot.toString());
  }

  private Path sqliteFile(Path pathRoot) {
    return pathRoot.resolve("data/sessions/sessions.db");
  }

  @Test
  void migrateMovesThousandsOfSessionsToPostgresWithNothingLost() throws Exception {
    Path source = root.resolve("source");
    Files.createDirectories(sqliteFile(source).getParent());
    try (SessionStore sqlite = SessionStores.openSqlite(sqliteFile(source))) {
      fill(sqlite);
    }
    String url = newDatabaseUrl();
    String withoutPassword = url.replace("postgres:pw@", "postgres@");
    CliRun.Result onTheCommandLine = cli(source).run("session", "migrate", "--to", url);
    assertThat(onTheCommandLine.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(onTheCommandLine.err())
        .contains("--password-file")
        .contains("GOOSE_MIGRATE_PASSWORD")
        .doesNotContain("pw@");
    Path passwordFile = root.resolve("pgpass");
    Files.writeString(passwordFile, "");
    String[] withPasswordFile = {
      "session", "migrate", "--to", withoutPassword, "--password-file", passwordFile.toString()
    };
    assertThat(cli(source).run(withPasswordFile).exitCode())
        .as("an empty password file")
        .isEqualTo(ExitCodes.USAGE);
    Files.writeString(passwordFile, "pw\n");

    CliRun.Result migrated = cli(source).run(withPasswordFile);

    assertThat(migrated.exitCode()).as(migrated.err()).isZero();
    assertThat(migrated.err()).contains("100%").contains("[##############################]");
    assertThat(migrated.out())
        .contains("row counts verified")
        .containsPattern("sessions\\s+" + SESSIONS + " rows")
        .containsPattern("messages\\s+" + 3 * SESSIONS + " rows")
        .containsPattern("turns\\s+" + SESSIONS + " rows");
    try (SessionStore sqlite = SessionStores.openSqlite(sqliteFile(source));
        SessionStore pg = SessionStores.openPostgres(url)) {
      int compared = 0;
      for (String owner : OWNERS) {
        List<Session> before = all(sqlite, owner);
        List<Session> after = all(pg, owner);
        assertThat(after).isEqualTo(before);
        for (Session s : before) {
          assertThat(pg.conversation(s.id())).isEqualTo(sqlite.conversation(s.id()));
          assertThat(events(pg, s.id())).isEqualTo(events(sqlite, s.id()));
          compared++;
        }
      }
      assertThat(compared).isEqualTo(SESSIONS);
      assertThat(pg.runningTurns()).isEqualTo(sqlite.runningTurns()).hasSize(1);
      // The moved store works: a new message gets the next ordinal, a new event the next sequence
      // number.
      Session one = all(pg, "local").getFirst();
      pg.appendMessage(one.id(), Message.user("after the move"));
      assertThat(pg.conversation(one.id())).hasSize(4);
      assertThat(pg.appendEvent(one.id(), "t", new TurnEvent.Error("x", "y")).seq()).isEqualTo(4);
    }

    CliRun.Result again =
        cli(source)
            .env("GOOSE_MIGRATE_PASSWORD", "pw")
            .run("session", "migrate", "--to", withoutPassword);
    assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(again.err()).contains("not empty").doesNotContain("pw@");
  }

  @Test
  void migrateExplainsAMissingSourceAndABadUrl() throws Exception {
    CliRun.Result missing =
        cli(root.resolve("nothing"))
            .env("PGPASSWORD", "pw")
            .run("session", "migrate", "--to", newDatabaseUrl().replace(":pw@", "@"));
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(missing.err()).contains("no SQLite store at");
    CliRun.Result noTo = cli(root).run("session", "migrate");
    assertThat(noTo.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void listExportAndImportThroughTheCommandLine() throws Exception {
    Path from = root.resolve("from");
    Path to = root.resolve("to");
    Files.createDirectories(sqliteFile(from).getParent());
    String id;
    try (SessionStore store = SessionStores.openSqlite(sqliteFile(from))) {
      Session s = store.create(new NewSession("local", "to be moved", root));
      store.appendMessage(s.id(), Message.user("hello"));
      store.appendMessage(
          s.id(), Message.assistant(List.of(new Content.Text("hi!")), new TokenUsage(10, 2)));
      store.addUsage(s.id(), new TokenUsage(10, 2));
      store.appendEvent(s.id(), "turn-1", new TurnEvent.MessageChunk("text", "hi!", "m"));
      store.appendEvent(
          s.id(), "turn-1", new TurnEvent.MessageComplete("end_turn", new TokenUsage(10, 2)));
      id = s.id();
    }

    CliRun.Result list = cli(from).run("session", "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).contains(id).contains("to be moved");

    Path file = root.resolve("export.json");
    CliRun.Result export = cli(from).run("session", "export", id, "-o", file.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    JsonNode doc = Json.MAPPER.readTree(Files.readString(file));
    assertThat(doc.get("version").asInt()).isEqualTo(1);

    CliRun.Result imported = cli(to).run("session", "import", file.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    String copy = imported.out().strip();
    assertThat(copy).isNotEqualTo(id);
    try (SessionStore a = SessionStores.openSqlite(sqliteFile(from));
        SessionStore b = SessionStores.openSqlite(sqliteFile(to))) {
      assertThat(b.conversation(copy)).isEqualTo(a.conversation(id));
      assertThat(b.get("local", copy).orElseThrow().totalUsage()).isEqualTo(new TokenUsage(10, 2));
      assertThat(events(b, copy))
          .extracting(StoredEvent::event)
          .isEqualTo(events(a, id).stream().map(StoredEvent::event).toList());
    }

    Files.writeString(file, Files.readString(file).replace("\"version\" : 1", "\"version\" : 7"));
    CliRun.Result bad = cli(to).run("session", "import", file.toString());
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.err()).contains("unsupported version 7");
    assertThat(cli(from).run("session", "export", Ids.newId()).err()).contains("no session");
  }

  /**
   * Sessions with messages (text, tool request, tool response), events, finished turns, and one
   * turn left running. Written by 16 threads at once, each session's writes in order: the store
   * commits concurrent writes together (group commit, SqlDatabase), where one thread's 30,000
   * writes took 30,000 commits.
   */
  private static void fill(SessionStore store) throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> written = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        int n = i;
        written.add(writers.submit(() -> fillOne(store, n)));
      }
      for (Future<?> f : written) f.get();
    } finally {
      writers.shutdownNow();
    }
  }

  private static void fillOne(SessionStore store, int i) {
    String owner = OWNERS.get(i % OWNERS.size());
    Session s = store.create(new NewSession(owner, "session " + i, Path.of("/tmp/work-" + i)));
    String turn = Ids.newId();
    store.startTurn(s.id(), turn, Optional.of("req-" + i), 1);
    store.appendMessage(s.id(), Message.user("question " + i));
    store.appendMessage(
        s.id(),
        new Message(
            Ids.newId(),
            Role.ASSISTANT,
            Instant.now(),
            List.of(
                new Content.Text("answer " + i),
                new Content.ToolRequest(
                    "call-" + i,
                    "developer__shell",
                    Json.MAPPER.createObjectNode().put("command", "echo " + i))),
            true,
            true,
            false,
            new TokenUsage(i, 7)));
    store.appendMessage(
        s.id(),
        new Message(
            Ids.newId(),
            Role.USER,
            Instant.now(),
            List.of(Content.ToolResponse.error("call-" + i, "no")),
            true,
            i % 3 != 0,
            false,
            TokenUsage.ZERO));
    store.addUsage(s.id(), new TokenUsage(i, 7));
    store.appendEvent(s.id(), turn, new TurnEvent.MessageChunk("text", "answer " + i, "m" + i));
    store.appendEvent(s.id(), turn, new TurnEvent.Error("e", "é ü \" quotes"));
    store.appendEvent(
        s.id(), turn, new TurnEvent.MessageComplete("end_turn", new TokenUsage(i, 7)));
    if (i != 17) store.finishTurn(s.id(), turn, TurnStatus.COMPLETED);
  }

  private static List<Session> all(SessionStore store, String owner) {
    List<Session> sessions = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Session> page =
          store.list(owner, new SessionQuery(SessionQuery.MAX_LIMIT, cursor, Optional.empty()));
      sessions.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return sessions;
  }

  private static List<StoredEvent> events(SessionStore store, String sessionId) {
    return store.eventsAfter(sessionId, 0, 1000);
  }
}
