package goose.session;

import static org.assertj.core.api.Assertions.assertThat;

import goose.conversation.Message;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a real SQLite file, plus what only SQLite has: the file and its WAL mode.
 */
class SqliteSessionStoreTest extends SessionStoreContract {
  @TempDir Path dir;
  private int databases;

  @Override
  protected Database newDatabase() {
    Path file = dir.resolve("db" + ++databases).resolve("sessions.db");
    return () -> {
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return SessionStores.openSqlite(SqliteTemplate.at(file));
    };
  }

  @Test
  void theDatabaseIsOneFileInWalMode() throws Exception {
    Path file = currentFile();
    create(ALICE, "on disk");
    assertThat(file).isRegularFile();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
        var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void anEventLogWrittenBeforeTurnErrorStillReads() throws Exception {
    Session s = create(ALICE, "old log");
    List<TurnEvent> sent =
        List.of(
            new TurnEvent.MessageChunk("text", "hi", "m1"),
            new TurnEvent.Error("provider_error", "boom"),
            new TurnEvent.MessageComplete("error", goose.conversation.TokenUsage.ZERO));
    for (TurnEvent e : sent) store.appendEvent(s.id(), "t1", e);
    // Rewrite the rows as earlier builds stored them: the error event under the name "error" and
    // no data with an "event" property.
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + currentFile());
        var st = c.createStatement()) {
      assertThat(st.executeUpdate("UPDATE events SET name = 'error' WHERE name = 'turn_error'"))
          .isEqualTo(1);
      assertThat(st.executeUpdate("UPDATE events SET data = json_remove(data, '$.event')"))
          .isEqualTo(3);
      try (var rs = st.executeQuery("SELECT count(*) FROM events WHERE data LIKE '%\"event\"%'")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
    List<StoredEvent> read = store.eventsAfter(s.id(), 0, 10);
    assertThat(read).extracting(StoredEvent::event).containsExactlyElementsOf(sent);
    // what a stream sends is written anew in the current form, not the old stored text
    assertThat(read)
        .allSatisfy(
            e -> {
              assertThat(e.data()).isEqualTo(goose.event.EventCodec.toJsonText(e.event()));
              assertThat(e.data())
                  .contains("\"event\":\"" + goose.event.EventCodec.eventName(e.event()));
            });
  }

  @Test
  void anAppendedEventCarriesTheJsonTextThatWasStored() throws Exception {
    Session s = create(ALICE, "one encoding");
    StoredEvent appended =
        store.appendEvent(s.id(), "t1", new TurnEvent.MessageChunk("text", "héllo \"q\"", "m1"));
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + currentFile());
        var rs = c.createStatement().executeQuery("SELECT data FROM events")) {
      assertThat(rs.next()).isTrue();
      assertThat(appended.data()).isEqualTo(rs.getString(1));
    }
    assertThat(appended.data()).isEqualTo(goose.event.EventCodec.toJsonText(appended.event()));
    assertThat(store.eventsAfter(s.id(), 0, 10)).containsExactly(appended);
  }

  @Test
  void sessionsWithTheSameUpdateTimeArePagedByIdWithoutLossOrRepeat() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10; i++) ids.add(create(ALICE, "tie " + i).id());
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + currentFile())) {
      c.createStatement().executeUpdate("UPDATE sessions SET updated_at = 1700000000000000000");
    }
    List<String> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Session> page = store.list(ALICE, new SessionQuery(3, cursor, Optional.empty()));
      page.items().forEach(s -> seen.add(s.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent() && seen.size() < 20);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    assertThat(seen).isSortedAccordingTo(Comparator.reverseOrder());
  }

  @Test
  void concurrentWritersInTwoStoresOnOneFileAllSucceed() throws Exception {
    Session s = create(ALICE, "two writers");
    try (SessionStore second = SessionStores.openSqlite(currentFile());
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> seqs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        SessionStore target = i % 2 == 0 ? store : second;
        seqs.add(
            pool.submit(
                () -> target.appendEvent(s.id(), "t", new TurnEvent.Error("n", "m")).seq()));
      }
      List<Long> got = new ArrayList<>();
      for (var f : seqs) got.add(f.get(60, TimeUnit.SECONDS));
      assertThat(got)
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
    }
  }

  private Path currentFile() {
    return dir.resolve("db" + databases).resolve("sessions.db");
  }

  @Test
  void twoStoresOnOneFileSeeEachOthersWrites() {
    Path file = currentFile();
    try (SessionStore second = SessionStores.openSqlite(file)) {
      Session s = second.create(new NewSession(ALICE, "from the second", Path.of("/tmp")));
      assertThat(store.get(ALICE, s.id())).isPresent();
      store.appendMessage(s.id(), Message.user("from the first"));
      assertThat(second.conversation(s.id())).hasSize(1);
      assertThat(
              second.list(ALICE, new SessionQuery(10, Optional.empty(), Optional.empty())).items())
          .hasSize(1);
    }
  }
}
