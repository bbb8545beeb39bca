package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.approval.AuditLog;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.pricing.PriceTable;
import goose.provider.ProviderEvent;
import goose.provider.StopReason;
import goose.session.NameSource;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A turn whose owner is removed while it runs ({@link TurnOwners}): nothing more goes to the model,
 * no further tool runs, and the turn ends with a {@code user_removed} error; a turn waiting on its
 * provider is stopped by the service's sweep.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RemovedOwnerTest {
  @TempDir Path dir;
  AgentRig rig;
  final List<String> ran = new CopyOnWriteArrayList<>();
  final AtomicBoolean exists = new AtomicBoolean(true);
  final List<TurnService> services = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    rig = new AgentRig(dir, NameSource.USER);
  }

  @AfterEach
  void close() {
    services.forEach(TurnService::close);
    rig.close();
  }

  /** A service whose owner "alice" exists while {@code exists} says so. */
  TurnService service(Toolbox toolbox, BooleanSupplier exists) {
    Agent agent =
        new Agent(
            rig.store,
            toolbox,
            new SystemPrompt(dir.resolve("config")),
            AgentOptions.DEFAULTS,
            AuditLog.NONE,
            TurnObserver.NONE,
            PriceTable.builtIn());
    TurnService service =
        new TurnService(
            rig.store,
            rig.events,
            agent,
            ProviderSource.of(() -> rig.provider),
            ToolGates.ALLOW_ALL,
            TurnLimits.NONE,
            TurnLeases.none(),
            goose.event.ClusterSignals.IN_PROCESS,
            Optional.empty(),
            owner -> {
              assertThat(owner).isEqualTo("alice");
              return exists.getAsBoolean();
            });
    services.add(service);
    return service;
  }

  /** A tool that records each call it runs, after {@code during} (which may remove the user). */
  Toolbox recording(Runnable during) {
    return new Toolbox() {
      @Override
      public List<ToolSpec> tools(ToolContext context) {
        return List.of(
            new ToolSpec(
                "dev__touch", "writes", TurnServiceTest.args("{\"type\":\"object\"}"), false));
      }

      @Override
      public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
        ran.add(request.id());
        during.run();
        return new Content.ToolResponse(request.id(), List.of(new Content.Text("ok")), false);
      }
    };
  }

  static ProviderEvent call(String id) {
    return new ProviderEvent.ToolCall(id, "dev__touch", TurnServiceTest.args("{}"));
  }

  static void assertEndedUserRemoved(List<TurnEvent> seen) {
    assertThat(seen)
        .filteredOn(TurnEvent.Error.class::isInstance)
        .singleElement()
        .isInstanceOfSatisfying(
            TurnEvent.Error.class,
            e -> {
              assertThat(e.code()).isEqualTo(Agent.USER_REMOVED);
              assertThat(e.message()).contains("removed");
            });
    assertThat(seen.getLast())
        .isInstanceOfSatisfying(
            TurnEvent.MessageComplete.class, c -> assertThat(c.stopReason()).isEqualTo("error"));
  }

  @Test
  void aUserRemovedDuringAToolCallGetsNoFurtherModelCall() throws Exception {
    rig.provider
        .reply(call("c1"), new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(call("c2"), new ProviderEvent.Stop(StopReason.TOOL_USE));
    TurnService turns = service(recording(() -> exists.set(false)), exists::get);

    List<TurnEvent> seen = rig.run(turns, "go");

    assertThat(ran).containsExactly("c1");
    assertThat(rig.provider.requests).as("no model call after the removal").hasSize(1);
    assertEndedUserRemoved(seen);
    assertThat(rig.store.runningTurn(rig.session.id())).isEmpty();
    // The conversation stays whole: the call that ran has its result.
    List<Message> conversation = rig.store.conversation(rig.session.id());
    assertThat(conversation.getLast().content())
        .singleElement()
        .isInstanceOfSatisfying(
            Content.ToolResponse.class, r -> assertThat(r.text()).isEqualTo("ok"));
  }

  @ParameterizedTest(name = "{0} call(s) in the reply")
  @ValueSource(ints = {1, 2})
  void noToolOfTheReplyRunsOnceTheUserIsRemoved(int calls) throws Exception {
    ProviderEvent[] reply = new ProviderEvent[calls + 1];
    for (int i = 0; i < calls; i++) reply[i] = call("c" + (i + 1));
    reply[calls] = new ProviderEvent.Stop(StopReason.TOOL_USE);
    rig.provider.reply(reply);
    // The user exists when the model is called, and is removed while it answers.
    TurnService turns =
        service(
            recording(() -> {}),
            () -> {
              boolean before = rig.provider.requests.isEmpty();
              return before && exists.get();
            });

    List<TurnEvent> seen = rig.run(turns, "go");

    assertThat(ran).as("tool calls run").isEmpty();
    assertThat(rig.provider.requests).hasSize(1);
    assertEndedUserRemoved(seen);
    assertThat(seen)
        .filteredOn(TurnEvent.ToolResult.class::isInstance)
        .hasSize(calls)
        .allSatisfy(r -> assertThat(((TurnEvent.ToolResult) r).status()).isEqualTo("error"));
    // Every call of the reply is answered ("interrupted"): the conversation stays whole.
    List<Message> conversation = rig.store.conversation(rig.session.id());
    assertThat(conversation.getLast().content())
        .hasSize(calls)
        .allSatisfy(
            c -> assertThat(((Content.ToolResponse) c).text()).isEqualTo(ToolExecutor.INTERRUPTED));
  }

  @Test
  void aTurnWaitingOnItsProviderIsStoppedBySweep() throws Exception {
    rig.provider.blockAfter(new ProviderEvent.TextDelta("thinking"));
    TurnService turns = service(Toolbox.NONE, exists::get);
    {
      TurnService.StartedTurn started =
          turns.start("alice", rig.session.id(), List.of(new Content.Text("go")), Optional.empty());
      assertThat(rig.provider.blockedStreamOpened.await(10, TimeUnit.SECONDS)).isTrue();
      long removed = System.nanoTime();
      exists.set(false);

      List<TurnEvent> seen = AgentRig.follow(rig.events, started);

      assertEndedUserRemoved(seen);
      assertThat(rig.provider.blockedStreamClosed).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - removed))
          .isLessThan(TurnService.OWNER_SWEEP.plusSeconds(3));
    }
  }

  @Test
  void anOwnerThatExistsIsNeverStopped() throws Exception {
    rig.provider
        .reply(call("c1"), new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(new ProviderEvent.TextDelta("done"), new ProviderEvent.Stop(StopReason.END_TURN));
    TurnService turns = service(recording(() -> {}), exists::get);

    List<TurnEvent> seen = rig.run(turns, "go");

    assertThat(ran).containsExactly("c1");
    assertThat(seen).noneMatch(TurnEvent.Error.class::isInstance);
    assertThat(Json.write(seen.getLast())).contains("end_turn");
  }
}
