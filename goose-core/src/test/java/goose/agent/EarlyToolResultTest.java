package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.event.StoredEvent;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.provider.ProviderEvent;
import goose.provider.StopReason;
import goose.session.NameSource;
import goose.tool.ToolContext;
import goose.tool.ToolNotifications;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool's answer reported from the thread that received it ({@link ToolNotifications#answered}, an
 * MCP transport's reader in production), before the call returns on the turn's thread: once, in
 * order, and never after a cancel has answered the call "interrupted".
 */
class EarlyToolResultTest {
  @AutoClose final AgentRig rig;

  EarlyToolResultTest(@TempDir Path dir) {
    rig = new AgentRig(dir, NameSource.USER);
  }

  interface ToolFn {
    Content.ToolResponse call(ToolContext ctx, Content.ToolRequest request) throws Exception;
  }

  static Toolbox toolbox(ToolFn fn) {
    return new Toolbox() {
      @Override
      public List<ToolSpec> tools(ToolContext context) {
        return List.of(new ToolSpec("ext__tool", "a tool", Json.object(), false));
      }

      @Override
      public Content.ToolResponse call(ToolContext context, Content.ToolRequest request) {
        try {
          return fn.call(context, request);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  /** {@code response} handed to the call's notifications from a thread of its own, as a reader. */
  static void answerFromAnotherThread(ToolContext ctx, Content.ToolResponse response)
      throws InterruptedException {
    Thread reader =
        Thread.ofPlatform().name("reader").start(() -> ctx.notifications().answered(response));
    reader.join(10_000);
    assertThat(reader.isAlive()).isFalse();
  }

  static Content.ToolResponse text(String id, String text) {
    return new Content.ToolResponse(id, List.of(new Content.Text(text)), false);
  }

  void scriptOneCallThenText() {
    rig.provider
        .reply(
            new ProviderEvent.ToolCall("c1", "ext__tool", (ObjectNode) Json.parse("{}")),
            new ProviderEvent.Stop(StopReason.TOOL_USE))
        .reply(new ProviderEvent.TextDelta("done"), new ProviderEvent.Stop(StopReason.END_TURN));
  }

  boolean toolResultStored() {
    return rig.store.eventsAfter(rig.session.id(), 0, 1000).stream()
        .map(StoredEvent::event)
        .anyMatch(TurnEvent.ToolResult.class::isInstance);
  }

  @Test
  void anAnswerOnTheReadersThreadIsReportedBeforeTheCallReturnsOnceAndInOrder() throws Exception {
    scriptOneCallThenText();
    AtomicBoolean storedBeforeReturn = new AtomicBoolean();
    Toolbox early =
        toolbox(
            (ctx, req) -> {
              Content.ToolResponse answer = text(req.id(), "early");
              answerFromAnotherThread(ctx, answer);
              // The turn's thread has not returned yet, and the result is (or will be) stored
              // without it: the reader's report does not wait for this thread.
              await()
                  .atMost(Duration.ofSeconds(20))
                  .untilAsserted(() -> assertThat(toolResultStored()).isTrue());
              storedBeforeReturn.set(true);
              return answer;
            });
    List<TurnEvent> seen = rig.run(rig.service(early, AgentOptions.DEFAULTS), "go");

    assertThat(storedBeforeReturn).isTrue();
    assertThat(seen)
        .extracting(TurnEvent::eventName)
        .containsExactly(
            "usage", "tool_call", "tool_result", "message_chunk", "usage", "message_complete");
    assertThat(((TurnEvent.ToolResult) seen.get(2)).result().toString()).contains("early");
    Message answered = rig.provider.requests.getLast().messages().getLast();
    assertThat(answered.content())
        .singleElement()
        .isInstanceOfSatisfying(
            Content.ToolResponse.class, r -> assertThat(r.text()).isEqualTo("early"));
  }

  @Test
  void anAnswerAfterACancelIsNotReportedAndTheInterruptedResultIsStored() throws Exception {
    scriptOneCallThenText();
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<ToolContext> callContext = new AtomicReference<>();
    Toolbox late =
        toolbox(
            (ctx, req) -> {
              callContext.set(ctx);
              running.countDown();
              try {
                new CountDownLatch(1).await(); // no answer until the cancel
                throw new AssertionError("woke without an interrupt");
              } catch (InterruptedException e) {
                // The answer arrives just after the cancel: too late, the call is "interrupted".
                answerFromAnotherThread(ctx, text(req.id(), "too late"));
                Thread.currentThread().interrupt(); // as McpConnection leaves it
                return Content.ToolResponse.error(req.id(), "tool call cancelled");
              }
            });
    List<TurnEvent> seen = cancelOnceReady(late, running);
    assertThat(((TurnEvent.ToolResult) seen.get(2)).result().toString())
        .contains(ToolExecutor.INTERRUPTED);
    assertThat(((TurnEvent.MessageComplete) seen.getLast()).stopReason()).isEqualTo("cancelled");
    // An answer after the turn ended changes nothing either.
    long last = rig.store.lastEventSeq(rig.session.id());
    answerFromAnotherThread(callContext.get(), text("c1", "much too late"));
    assertThat(rig.store.lastEventSeq(rig.session.id())).isEqualTo(last);
    assertThat(storedToolResponse().text()).isEqualTo(ToolExecutor.INTERRUPTED);
  }

  @Test
  void anAnswerJustBeforeACancelIsTheResultTheClientSeesAndTheStoreKeeps() throws Exception {
    scriptOneCallThenText();
    CountDownLatch answered = new CountDownLatch(1);
    Toolbox racing =
        toolbox(
            (ctx, req) -> {
              answerFromAnotherThread(ctx, text(req.id(), "made it"));
              answered.countDown();
              try {
                new CountDownLatch(1).await(); // the caller has not woken when the cancel comes
                throw new AssertionError("woke without an interrupt");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Content.ToolResponse.error(req.id(), "tool call cancelled");
              }
            });
    List<TurnEvent> seen = cancelOnceReady(racing, answered);
    assertThat(((TurnEvent.ToolResult) seen.get(2)).status()).isEqualTo("success");
    assertThat(((TurnEvent.MessageComplete) seen.getLast()).stopReason()).isEqualTo("cancelled");
    assertThat(storedToolResponse().text()).isEqualTo("made it");
    assertThat(Conversations.danglingToolRequests(rig.store.conversation(rig.session.id())))
        .isEmpty();
  }

  /**
   * Runs a turn on {@code toolbox}, cancels it once {@code ready} (the tool is in its call), and
   * returns the turn's events: one call, one result, the end.
   */
  private List<TurnEvent> cancelOnceReady(Toolbox toolbox, CountDownLatch ready)
      throws InterruptedException {
    TurnService turns = rig.service(toolbox, AgentOptions.DEFAULTS);
    TurnService.StartedTurn started =
        turns.start("alice", rig.session.id(), List.of(new Content.Text("go")), Optional.empty());
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(turns.cancel("alice", rig.session.id())).isTrue();
    List<TurnEvent> seen = AgentRig.follow(rig.events, started);
    assertThat(seen)
        .extracting(TurnEvent::eventName)
        .containsExactly("usage", "tool_call", "tool_result", "message_complete");
    return seen;
  }

  private Content.ToolResponse storedToolResponse() {
    return rig.store.conversation(rig.session.id()).stream()
        .flatMap(m -> m.content().stream())
        .filter(Content.ToolResponse.class::isInstance)
        .map(Content.ToolResponse.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
