package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import goose.provider.fake.FakeOpenAiServer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goose session backup} beside a real {@code goose server} process that is writing: at least
 * 200 messages (100 turns over 4 sessions, more until a backup has finished while the server was
 * writing) while backups are taken. Every backup must open, pass SQLite's integrity check and hold
 * a consistent prefix of each session: its counters match its rows, and its messages are the first
 * N of the final conversation. The backups run the real command line in this JVM ({@link CliRun}):
 * what is tested is a copy read through another process's writes, which the server process makes; a
 * JVM per backup only added its start-up (one to two seconds of CPU each, and under load the loop
 * took a dozen of them).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SessionBackupTest {
  private static final Duration PROCESS = Duration.ofSeconds(90);
  private static final int SESSIONS = 4;
  private static final int TURNS_PER_SESSION = 25;

  /**
   * On a loaded machine the first backup can outlast the first 100 turns. The writers then go on,
   * up to this many turns each, until a backup has finished while they wrote.
   */
  private static final int MAX_TURNS_PER_SESSION = 400;

  @TempDir Path root;

  @Test
  void backupsTakenWhile200MessagesAreWrittenAreConsistentPrefixes() throws Exception {
    Path home = root.resolve("home");
    try (FakeOpenAiServer openai = new FakeOpenAiServer()) {
      for (int i = 0; i < SESSIONS * MAX_TURNS_PER_SESSION; i++)
        openai.enqueue(
            FakeOpenAiServer.text("reply ", String.valueOf(i))
                .withChunkDelay(Duration.ofMillis(20)));
      Map<String, String> env =
          Map.of(
              "GOOSE_PATH_ROOT", root.resolve("goose").toString(),
              "GOOSE_PORT", "0",
              "GOOSE_PROVIDER", "openai",
              "OPENAI_HOST", openai.baseUri().toString(),
              "OPENAI_API_KEY", "sk-test");
      try (CliProcess server = CliProcess.start(home, env, "server");
          ExecutorService writers = Executors.newFixedThreadPool(SESSIONS)) {
        URI base = server.awaitListening(PROCESS);
        CliRun cli = new CliRun(home);
        env.forEach(cli::env);
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) ids.add(Http.createSession(base, root));
        List<Future<?>> writing = new ArrayList<>();
        AtomicBoolean backedUpWhileWriting = new AtomicBoolean();
        AtomicInteger turns = new AtomicInteger();
        for (String id : ids)
          writing.add(
              writers.submit(
                  () -> {
                    for (int t = 0;
                        t < TURNS_PER_SESSION
                            || (!backedUpWhileWriting.get() && t < MAX_TURNS_PER_SESSION);
                        t++) {
                      Http.Response r =
                          Http.post(
                              base,
                              "/sessions/" + id + "/messages",
                              "{\"content\":\"message " + t + "\"}",
                              "text/event-stream");
                      assertThat(r.body()).contains("event: message_complete");
                      turns.incrementAndGet();
                    }
                    return null;
                  }));

        List<Path> backups = new ArrayList<>();
        int duringWrites = 0;
        while (writing.stream().anyMatch(f -> !f.isDone()) || backups.isEmpty()) {
          Path file = root.resolve("backup-" + backups.size() + ".db");
          CliRun.Result backup = cli.run("session", "backup", file.toString());
          assertThat(backup.exitCode()).as(backup.err()).isZero();
          assertThat(backup.out()).contains("backed up");
          if (writing.stream().anyMatch(f -> !f.isDone())) {
            duringWrites++;
            backedUpWhileWriting.set(true);
          }
          backups.add(file);
          // The next backup once every writer could have finished another turn: backups spread
          // over the writes rather than taken back to back (each takes milliseconds in this JVM).
          int seen = turns.get();
          await("more turns or the end of the writes")
              .atMost(PROCESS)
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () ->
                      turns.get() >= seen + SESSIONS || writing.stream().allMatch(Future::isDone));
        }
        for (Future<?> f : writing) f.get();
        Path last = root.resolve("backup-final.db");
        CliRun.Result finalBackup = cli.run("session", "backup", last.toString());
        assertThat(finalBackup.exitCode()).as(finalBackup.err()).isZero();

        Map<String, List<String>> finalConversations = conversations(last);
        assertThat(finalConversations.values().stream().mapToInt(List::size).sum())
            .isEqualTo(2 * turns.get());
        assertThat(duringWrites).as("backups taken while the server was writing").isPositive();
        int partial = 0;
        for (Path b : backups) {
          assertConsistent(b);
          Map<String, List<String>> taken = conversations(b);
          int messages = 0;
          for (Map.Entry<String, List<String>> e : taken.entrySet()) {
            List<String> whole = finalConversations.get(e.getKey());
            assertThat(whole.subList(0, e.getValue().size()))
                .as("backup %s, session %s: a prefix of the final conversation", b, e.getKey())
                .isEqualTo(e.getValue());
            messages += e.getValue().size();
          }
          if (messages < 2 * turns.get()) partial++;
        }
        System.out.printf(
            "backup: %d backups while writing, %d of them caught mid-way; all consistent%n",
            duringWrites, partial);
        assertConsistent(last);
        assertThat(server.terminate(PROCESS)).isZero();
      }
    }
  }

  @Test
  void onPostgresqlItPrintsThePgDumpCommandAndMakesNoBackup() {
    CliRun.Result r =
        new CliRun(root.resolve("home"))
            .env("GOOSE_PATH_ROOT", root.resolve("goose").toString())
            .env("GOOSE_DATABASE_URL", "postgresql://goose:s3cret@db.internal:5432/goose")
            .run("session", "backup", "/backups/goose.dump");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.out().strip())
        .isEqualTo(
            "pg_dump --format=custom --file=/backups/goose.dump postgresql://goose@db.internal:5432/goose");
    assertThat(r.err()).contains("pg_restore").contains("PGPASSWORD").doesNotContain("s3cret");
  }

  @Test
  void theBackupIsTheUsersOnlyLikeTheStore() throws Exception {
    CliRun cli = new CliRun(root.resolve("home")).env("GOOSE_PATH_ROOT", root.toString());
    assertThat(cli.run("session", "list").exitCode()).isZero(); // creates the store
    Path target = root.resolve("goose-backup.db");
    CliRun.Result r = cli.run("session", "backup", target.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(java.nio.file.Files.getPosixFilePermissions(target))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertConsistent(target);
  }

  @Test
  void anExistingTargetIsRefused() throws Exception {
    CliRun cli = new CliRun(root.resolve("home")).env("GOOSE_PATH_ROOT", root.toString());
    assertThat(cli.run("session", "list").exitCode()).isZero(); // creates the store
    Path target = root.resolve("exists.db");
    java.nio.file.Files.writeString(target, "precious");
    CliRun.Result r = cli.run("session", "backup", target.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("exists");
    assertThat(java.nio.file.Files.readString(target)).isEqualTo("precious");
  }

  /** Every session's message ids in conversation order. */
  private static Map<String, List<String>> conversations(Path db) throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT session_id, id FROM messages ORDER BY session_id, ordinal")) {
      while (rs.next())
        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
    }
    return out;
  }

  /** Integrity check, and each session's counters agree with its rows. */
  private static void assertConsistent(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
      try (ResultSet rs =
          st.executeQuery(
              """
              SELECT s.id, s.message_count, s.last_event_seq,
                     (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id),
                     (SELECT COALESCE(MAX(ordinal), 0) FROM messages m WHERE m.session_id = s.id),
                     (SELECT COUNT(*) FROM events e WHERE e.session_id = s.id),
                     (SELECT COALESCE(MAX(seq), 0) FROM events e WHERE e.session_id = s.id)
              FROM sessions s""")) {
        while (rs.next()) {
          String id = rs.getString(1);
          assertThat(rs.getLong(4))
              .as("%s: messages vs message_count", id)
              .isEqualTo(rs.getLong(2));
          assertThat(rs.getLong(5)).as("%s: ordinals without gaps", id).isEqualTo(rs.getLong(2));
          assertThat(rs.getLong(6)).as("%s: events vs last_event_seq", id).isEqualTo(rs.getLong(3));
          assertThat(rs.getLong(7)).as("%s: seqs without gaps", id).isEqualTo(rs.getLong(3));
        }
      }
    }
  }
}
