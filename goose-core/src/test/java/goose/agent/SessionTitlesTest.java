package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.pricing.PriceTable;
import goose.provider.ProviderEvent;
import goose.provider.ProviderException;
import goose.provider.ProviderRequest;
import goose.session.NameSource;
import goose.session.Session;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A session created without a name gets a short title after its first exchange. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionTitlesTest {
  @TempDir Path dir;
  AgentRig rig;

  @AfterEach
  void close() {
    if (rig != null) rig.close();
  }

  TurnService service() {
    return rig.service(
        Toolbox.NONE,
        AgentOptions.DEFAULTS,
        new SystemPrompt(dir.resolve("config")),
        PriceTable.builtIn(),
        Optional.of(new SessionTitles(rig.store, rig.events, s -> rig.provider)));
  }

  Session stored() {
    return rig.store.get("alice", rig.session.id()).orElseThrow();
  }

  static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  static ProviderEvent[] answer(String text) {
    return TurnContextTest.answer(text);
  }

  @Test
  void aSessionWithoutANameIsTitledAfterItsFirstExchangeOnce() throws Exception {
    rig = new AgentRig(dir, NameSource.DEFAULT);
    rig.provider
        .reply(answer("Run it with the tests for LoginTest."))
        .reply(answer("Title: \"Flaky LoginTest investigation today.\""))
        .reply(answer("Sure."));
    TurnService turns = service();
    rig.run(turns, "Why does the LoginTest fail every other run in CI?");
    // The name is stored first, then the event is appended: wait for the event.
    await(
        "the session_renamed event",
        () ->
            rig.store.eventsAfter(rig.session.id(), 0, 100).getLast().event()
                instanceof TurnEvent.SessionRenamed);

    assertThat(stored().name()).isEqualTo("Flaky LoginTest investigation today");
    ProviderRequest titleRequest = rig.provider.requests.get(1);
    assertThat(titleRequest.systemPrompt()).isEqualTo(SessionTitles.INSTRUCTIONS);
    assertThat(titleRequest.tools()).isEmpty();
    assertThat(titleRequest.cacheKey()).isEmpty();
    assertThat(titleRequest.messages()).hasSize(1);
    assertThat(titleRequest.messages().getFirst().text())
        .contains("Why does the LoginTest fail every other run in CI?")
        .contains("Run it with the tests for LoginTest.");
    List<StoredEvent> log = rig.store.eventsAfter(rig.session.id(), 0, 100);
    assertThat(log.getLast().event())
        .isEqualTo(new TurnEvent.SessionRenamed("Flaky LoginTest investigation today"));
    assertThat(log.get(log.size() - 2).event()).isInstanceOf(TurnEvent.MessageComplete.class);

    rig.run(turns, "thanks");
    assertThat(rig.provider.requests).hasSize(3); // no second title
    assertThat(stored().name()).isEqualTo("Flaky LoginTest investigation today");
  }

  @Test
  void aNameTheUserGaveIsNeverReplaced() throws Exception {
    rig = new AgentRig(dir, NameSource.USER);
    rig.provider.reply(answer("hello"));
    rig.run(service(), "hi");

    assertThat(rig.provider.requests).hasSize(1);
    assertThat(stored().name()).isEqualTo("named");
    assertThat(stored().nameSource()).isEqualTo(NameSource.USER);
  }

  @Test
  void aFailedTitleRequestIsIgnoredAndTheNextExchangeTriesAgain() throws Exception {
    rig = new AgentRig(dir, NameSource.DEFAULT);
    rig.provider
        .reply(answer("one"))
        .fail(new ProviderException(ProviderException.Kind.SERVER, 500, "title model down"));
    TurnService turns = service();
    List<TurnEvent> first = rig.run(turns, "Plan the Postgres migration");
    assertThat(((TurnEvent.MessageComplete) first.getLast()).stopReason()).isEqualTo("end_turn");
    await("the failed title request", () -> rig.provider.requests.size() == 2);
    assertThat(stored().nameSource()).isEqualTo(NameSource.DEFAULT);
    assertThat(stored().name()).isEqualTo("New session");

    rig.provider.reply(answer("two")).reply(answer("Postgres migration plan"));
    rig.run(turns, "and the rollback?");
    await("the title", () -> stored().nameSource() == NameSource.GENERATED);
    assertThat(stored().name()).isEqualTo("Postgres migration plan");
  }

  @Test
  void titlesAreCleanedAndShort() {
    assertThat(SessionTitles.clean("## **Refund timeout fix**\n\nbecause ..."))
        .contains("Refund timeout fix");
    assertThat(SessionTitles.clean("\"A title that is far too long for us\""))
        .contains("A title that is");
    assertThat(SessionTitles.clean("   \n  ")).isEmpty();
    assertThat(SessionTitles.clean("Title: BOT-1565 auto titles."))
        .contains("BOT-1565 auto titles");
  }

  @Test
  void nothingIsTitledBeforeTheModelAnswered() {
    assertThat(SessionTitles.prompt(List.of(goose.conversation.Message.user("hi")))).isEmpty();
  }
}
