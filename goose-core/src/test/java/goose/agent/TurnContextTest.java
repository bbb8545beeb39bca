package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import goose.pricing.ModelPrice;
import goose.pricing.PriceTable;
import goose.provider.ProviderEvent;
import goose.provider.ProviderRequest;
import goose.provider.StopReason;
import goose.session.NameSource;
import goose.session.Session;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each request carries besides the conversation: the turn context on the messages that started
 * turns (stable from one request to the next, so the prefix caches), the cache key, and the usage
 * and cost of each call.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TurnContextTest {
  final Path dir;
  @AutoClose final AgentRig rig;

  TurnContextTest(@TempDir Path dir) {
    this.dir = dir;
    rig = new AgentRig(dir, NameSource.USER);
  }

  static ProviderEvent[] answer(String text) {
    return new ProviderEvent[] {
      new ProviderEvent.TextDelta(text), new ProviderEvent.Stop(StopReason.END_TURN)
    };
  }

  @Test
  void everyTurnsMessageKeepsItsBlockSoLaterRequestsShareTheirPrefix() throws Exception {
    TurnService turns = rig.service(Toolbox.NONE, AgentOptions.DEFAULTS);
    rig.provider.reply(answer("one")).reply(answer("two"));
    rig.run(turns, "first");
    rig.run(turns, "second");

    List<Message> firstRequest = rig.provider.requests.get(0).messages();
    List<Message> secondRequest = rig.provider.requests.get(1).messages();
    assertThat(secondRequest.subList(0, firstRequest.size())).isEqualTo(firstRequest);
    assertThat(secondRequest).hasSize(3);
    assertThat(secondRequest.get(2).content()).hasSize(2);
    assertThat(secondRequest.get(2).content().getFirst()).isEqualTo(new Content.Text("second"));
    assertThat(rig.store.conversation(rig.session.id()))
        .extracting(Message::text)
        .containsExactly("first", "one", "second", "two");
  }

  @Test
  void theBlockSaysWhenWhereAndHowManyCalls() {
    Message m = Message.user("hi");
    Message at =
        new Message(
            m.id(),
            m.role(),
            Instant.parse("2026-12-04T17:55:42Z"),
            m.content(),
            true,
            true,
            false,
            TokenUsage.ZERO);
    TurnContext context = new TurnContext(Path.of("/work/project"), 50, ZoneOffset.UTC);

    assertThat(context.block(at, false))
        .isEqualTo(
            """
            <turn-context>
            <current-time>2026-12-04 17:55 +00:00</current-time>
            <working-directory>/work/project</working-directory>
            <turn-budget>up to 50 model calls in this turn</turn-budget>
            </turn-context>""");
    assertThat(context.block(at, true))
        .contains("<compaction>older messages of this conversation were summarised");
  }

  @Test
  void messagesAfterACompactionSummarySayThatTheyFollowOne() {
    TurnContext context = new TurnContext(dir, 10);
    List<Message> view =
        List.of(
            Message.user("early question"),
            Message.user(Compactor.SUMMARY_PREFIX + "they talked"),
            Message.user("late question"));
    List<Message> sent = RequestBuilder.withTurnContext(view, context, 0);

    assertThat(sent.get(0).text()).contains("<turn-context>").doesNotContain("<compaction>");
    assertThat(sent.get(1)).isEqualTo(view.get(1)); // the summary itself gets no block
    assertThat(sent.get(2).text()).contains("<compaction>");
  }

  @Test
  void whenTheCallsRunLowTheNewestMessageSaysHowManyAreLeft() throws Exception {
    Toolbox calc =
        TurnServiceTest.toolbox(
            (ctx, req) ->
                new Content.ToolResponse(req.id(), List.of(new Content.Text("1")), false));
    for (int i = 0; i < 3; i++)
      rig.provider.reply(
          new ProviderEvent.ToolCall("c" + i, "calc__add", TurnServiceTest.args("{}")),
          new ProviderEvent.Stop(StopReason.TOOL_USE));
    List<TurnEvent> seen = rig.run(rig.service(calc, new AgentOptions(3, 0.8)), "loop");

    assertThat(((TurnEvent.MessageComplete) seen.getLast()).stopReason()).isEqualTo("max_turns");
    List<ProviderRequest> sent = rig.provider.requests;
    assertThat(sent.get(0).messages().getLast().text()).doesNotContain("left in this turn");
    assertThat(sent.get(1).messages().getLast().text())
        .contains("<turn-budget>2 of 3 model calls left in this turn</turn-budget>");
    assertThat(sent.get(2).messages().getLast().text())
        .contains("<turn-budget>1 of 3 model calls left in this turn</turn-budget>");
  }

  @Test
  void theSessionIdIsTheCacheKeyUnlessCachingIsOff() throws Exception {
    rig.provider.reply(answer("a")).reply(answer("b"));
    rig.run(rig.service(Toolbox.NONE, AgentOptions.DEFAULTS), "cached");
    rig.run(rig.service(Toolbox.NONE, new AgentOptions(1000, 0.8, false)), "not cached");

    assertThat(rig.provider.requests.get(0).cacheKey()).contains(rig.session.id());
    assertThat(rig.provider.requests.get(1).cacheKey()).isEmpty();
  }

  @Test
  void eachCallReportsItsUsageAndCostAndTheSessionAddsThemUp() throws Exception {
    PriceTable prices = PriceTable.with(Map.of("scripted", new ModelPrice(3, 15, 0.3, 3.75)));
    rig.provider
        .reply(
            new ProviderEvent.ToolCall("c1", "calc__add", TurnServiceTest.args("{}")),
            new ProviderEvent.Usage(new TokenUsage(10_000, 100, 0, 9_000)),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(
            new ProviderEvent.TextDelta("done"),
            new ProviderEvent.Usage(new TokenUsage(10_200, 50, 9_000, 1_100)),
            new ProviderEvent.Stop(StopReason.END_TURN));
    Toolbox calc =
        TurnServiceTest.toolbox(
            (ctx, req) ->
                new Content.ToolResponse(req.id(), List.of(new Content.Text("1")), false));
    TurnService turns =
        rig.service(
            calc,
            AgentOptions.DEFAULTS,
            new SystemPrompt(dir.resolve("config")),
            prices,
            Optional.empty());
    List<TurnEvent> seen = rig.run(turns, "go");

    // first: 1,000 uncached at $3, 9,000 written at $3.75, 100 out at $15 (per million)
    double first = (1_000 * 3 + 9_000 * 3.75 + 100 * 15) / 1e6;
    // second: 100 uncached, 9,000 read at $0.30, 1,100 written, 50 out
    double second = (100 * 3 + 9_000 * 0.3 + 1_100 * 3.75 + 50 * 15) / 1e6;
    List<TurnEvent.ModelUsage> calls =
        seen.stream()
            .filter(TurnEvent.ModelUsage.class::isInstance)
            .map(TurnEvent.ModelUsage.class::cast)
            .toList();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).stopReason()).isEqualTo("tool_use");
    assertThat(calls.get(0).costUsd().getAsDouble()).isCloseTo(first, within());
    assertThat(calls.get(1).usage().cacheReadInputTokens()).isEqualTo(9_000);
    assertThat(calls.get(1).costUsd().getAsDouble()).isCloseTo(second, within());
    TurnEvent.MessageComplete end = (TurnEvent.MessageComplete) seen.getLast();
    assertThat(end.usage()).isEqualTo(new TokenUsage(20_200, 150, 9_000, 10_100));
    assertThat(end.costUsd().getAsDouble()).isCloseTo(first + second, within());
    Session stored = rig.store.get("alice", rig.session.id()).orElseThrow();
    assertThat(stored.totalUsage()).isEqualTo(end.usage());
    assertThat(stored.lastUsage()).isEqualTo(new TokenUsage(10_200, 50, 9_000, 1_100));
    assertThat(stored.totalCostUsd().getAsDouble()).isCloseTo(first + second, within());
    assertThat(rig.store.conversation(rig.session.id()).get(1).usage().cacheCreationInputTokens())
        .isEqualTo(9_000);
  }

  @Test
  void aModelWithoutAPriceHasNoCostEstimate() throws Exception {
    rig.provider.reply(
        new ProviderEvent.TextDelta("x"),
        new ProviderEvent.Usage(new TokenUsage(5, 1)),
        new ProviderEvent.Stop(StopReason.END_TURN));
    List<TurnEvent> seen = rig.run(rig.service(Toolbox.NONE, AgentOptions.DEFAULTS), "q");

    assertThat(((TurnEvent.MessageComplete) seen.getLast()).costUsd())
        .isEqualTo(OptionalDouble.empty());
    assertThat(rig.store.get("alice", rig.session.id()).orElseThrow().totalCostUsd()).isEmpty();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
