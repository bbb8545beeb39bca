package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.event.TurnEvent;
import goose.provider.ModelLimits;
import goose.provider.ProviderEvent;
import goose.provider.StopReason;
import goose.session.NameSource;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output budget: every call asks for the provider's, and a reply cut off by it is continued,
 * never taken as the model's last word, and a tool call it was writing is never run.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutputBudgetTest {
  @AutoClose final AgentRig rig;

  OutputBudgetTest(@TempDir Path dir) {
    rig = new AgentRig(dir, NameSource.USER);
  }

  @Test
  void everyCallAsksForTheProvidersOutputBudget() throws Exception {
    rig.provider.reply(
        new ProviderEvent.TextDelta("ok"), new ProviderEvent.Stop(StopReason.END_TURN));
    rig.run(rig.service(Toolbox.NONE, AgentOptions.DEFAULTS), "hi");

    assertThat(rig.provider.requests.getFirst().maxOutputTokens())
        .isEqualTo(rig.provider.maxOutputTokens())
        .isEqualTo(ModelLimits.DEFAULT_OUTPUT);
  }

  @Test
  void aReplyCutByTheBudgetIsReportedAndContinued() throws Exception {
    rig.provider
        .reply(
            new ProviderEvent.TextDelta("The first half"),
            new ProviderEvent.Stop(StopReason.MAX_TOKENS))
        .reply(
            new ProviderEvent.TextDelta(" and the rest."),
            new ProviderEvent.Stop(StopReason.END_TURN));
    List<TurnEvent> seen = rig.run(rig.service(Toolbox.NONE, AgentOptions.DEFAULTS), "write");

    assertThat(seen)
        .filteredOn(TurnEvent.ModelUsage.class::isInstance)
        .extracting(e -> ((TurnEvent.ModelUsage) e).stopReason())
        .containsExactly("max_tokens", "end_turn");
    assertThat(seen.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class, c -> assertThat(c.stopReason()).isEqualTo("end_turn"));
    Message goOn = rig.provider.requests.get(1).messages().getLast();
    assertThat(goOn.text())
        .startsWith(Continuation.PREFIX)
        .contains(Integer.toString(ModelLimits.DEFAULT_OUTPUT))
        .contains("Continue exactly where it stopped");
    // The user sees the two halves; the request to go on is for the model only.
    assertThat(rig.store.conversation(rig.session.id()))
        .filteredOn(Message::userVisible)
        .extracting(Message::text)
        .containsExactly("write", "The first half", " and the rest.");
    assertThat(rig.store.conversation(rig.session.id()))
        .filteredOn(m -> !m.userVisible())
        .extracting(Message::text)
        .containsExactly(goOn.text());
  }

  @Test
  void aToolCallCutOffIsNeverRunWhileTheCompleteOnesAre() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Toolbox calc =
        TurnServiceTest.toolbox(
            (ctx, req) -> {
              runs.incrementAndGet();
              return new Content.ToolResponse(req.id(), List.of(new Content.Text("5")), false);
            });
    // The decoder drops the call the budget cut in half: what arrives is the complete one.
    rig.provider
        .reply(
            new ProviderEvent.ToolCall("call_1", "calc__add", TurnServiceTest.args("{\"a\":2}")),
            new ProviderEvent.Stop(StopReason.MAX_TOKENS))
        .reply(new ProviderEvent.TextDelta("done"), new ProviderEvent.Stop(StopReason.END_TURN));
    rig.run(rig.service(calc, AgentOptions.DEFAULTS), "add");

    assertThat(runs).hasValue(1);
    Message results = rig.provider.requests.get(1).messages().getLast();
    assertThat(results.content().getFirst()).isInstanceOf(Content.ToolResponse.class);
    assertThat(results.text())
        .startsWith(Continuation.PREFIX)
        .contains("did not run")
        .contains("Issue it again");
  }

  @Test
  void repliesCutAgainAndAgainEndTheTurnWithMaxTokens() throws Exception {
    for (int i = 0; i < Agent.MAX_CUT_REPLIES; i++)
      rig.provider.reply(
          new ProviderEvent.TextDelta("part " + i), new ProviderEvent.Stop(StopReason.MAX_TOKENS));
    List<TurnEvent> seen = rig.run(rig.service(Toolbox.NONE, AgentOptions.DEFAULTS), "essay");

    assertThat(rig.provider.requests).hasSize(Agent.MAX_CUT_REPLIES);
    assertThat(seen.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class,
            c -> assertThat(c.stopReason()).isEqualTo("max_tokens"));
  }
}
