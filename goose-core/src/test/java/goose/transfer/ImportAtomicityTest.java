package goose.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.conversation.Message;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionQuery;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import is all or nothing, and unseen until it is complete: one that fails part way leaves no
 * session behind, and one under way is not listed (the store's own tests stop one half way:
 * SessionStoreContract#aSessionBeingCreatedWithItsContentIsNotSeenUntilItIsComplete).
 */
class ImportAtomicityTest {
  @TempDir Path dir;

  SessionStore store(String name) {
    Path root = dir.resolve(name);
    return SessionStores.open(Config.load(Map.of("GOOSE_PATH_ROOT", root.toString()), root));
  }

  @Test
  void anImportWhoseLastMessageTheStoreRefusesLeavesNoSession() throws Exception {
    try (SessionStore from = store("a");
        SessionStore to = store("b")) {
      Session s = from.create(new NewSession("alice", "to copy", dir));
      for (int i = 0; i < 50; i++) from.appendMessage(s.id(), Message.user("message " + i));
      from.appendEvent(s.id(), "t1", new TurnEvent.Error("e", "m"));
      SessionDocument doc =
          Json.MAPPER.readValue(
              Json.write(SessionTransfer.export(from, from.get("alice", s.id()).orElseThrow())),
              SessionDocument.class);
      // The document passes its checks; only the store finds the last time out of its range.
      List<Message> messages = new ArrayList<>(doc.messages());
      Message last = messages.removeLast();
      messages.add(
          new Message(
              last.id(),
              last.role(),
              Instant.parse("2300-01-01T00:00:00Z"),
              last.content(),
              last.userVisible(),
              last.agentVisible(),
              last.interrupted(),
              last.usage()));
      SessionDocument bad =
          new SessionDocument(
              doc.format(), doc.version(), doc.exportedAt(), doc.session(), messages, doc.events());
      SessionTransfer.validate(bad);

      assertThatThrownBy(() -> SessionTransfer.importAs(to, "bob", dir, bad))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(to.list("bob", new SessionQuery(10, Optional.empty(), Optional.empty())).items())
          .isEmpty();
      assertThat(to.countSessions()).hasValue(0);

      Session imported = SessionTransfer.importAs(to, "bob", dir, doc);
      assertThat(to.conversation(imported.id())).containsExactlyElementsOf(doc.messages());
      assertThat(to.lastEventSeq(imported.id())).isEqualTo(1);
    }
  }

  @Test
  void aConcurrentListNeverSeesAHalfImportedSession() throws Exception {
    try (SessionStore from = store("a");
        SessionStore to = store("b")) {
      Session s = from.create(new NewSession("alice", "big import", dir));
      List<Message> messages = new ArrayList<>();
      for (int i = 0; i < 3000; i++) messages.add(Message.user("message " + i));
      SessionDocument exported =
          SessionTransfer.export(from, from.get("alice", s.id()).orElseThrow());
      SessionDocument doc =
          new SessionDocument(
              exported.format(),
              exported.version(),
              exported.exportedAt(),
              exported.session(),
              messages,
              exported.events());
      Set<Long> seen = new TreeSet<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<Session> importing =
            pool.submit(() -> SessionTransfer.importAs(to, "bob", dir, doc));
        // Look as often as we can while it runs (one message per transaction took seconds and was
        // listed after the first few hundred).
        while (!importing.isDone()) {
          to.list("bob", new SessionQuery(10, Optional.empty(), Optional.empty()))
              .items()
              .forEach(listed -> seen.add(listed.messageCount()));
        }
        assertThat(importing.get(60, TimeUnit.SECONDS).messageCount()).isEqualTo(3000);
      }
      assertThat(seen).as("message counts listed while importing").allMatch(n -> n == 3000);
    }
  }
}
