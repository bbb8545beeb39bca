package goose.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import goose.approval.ToolDecision;
import goose.conversation.Content;
import goose.error.ErrorMessages;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.tool.ToolContext;
import goose.tool.ToolNotifications;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Runs the tool calls of one model response concurrently, each on its own virtual thread, and
 * returns their responses in request order; a response with a single call (the common case) runs it
 * on the turn's own thread, which saves a thread start and a hand-off on each call's path. Each
 * call is announced ({@code tool_call}) before it starts, passes the turn's {@link ToolGate} (which
 * may wait for the user), runs or is refused, is reported ({@code tool_result}) as soon as it ends,
 * and is audited. No call runs once the turn's lease is lost ({@link TurnFence}): the turn stops
 * with {@link LeaseLostException}, reporting and auditing nothing more. A cancelled turn answers
 * the calls that did not finish with an "interrupted" error and still returns every response
 * ({@link Batch#cancelled()}), so that the loop stores them and the conversation never holds a
 * request without a response: a provider refuses a conversation with a tool call that has no
 * result.
 *
 * <p>A result is reported by the first thread that has it: usually the extension's transport
 * reader, through {@link ToolNotifications#answered}, before the calling thread wakes up; otherwise
 * the calling thread. Either way once per call, and what is reported is what the batch returns.
 */
final class ToolExecutor {
  static final String INTERRUPTED = ToolDecision.CANCELLED.refusal();

  private final Toolbox toolbox;
  private final TurnEmitter emitter;
  private final TurnControl control;
  private final ToolAudit audit;

  /** The response reported for each call: the first one wins, and that one is stored. */
  private final Map<String, Content.ToolResponse> reported = new ConcurrentHashMap<>();

  // A lock, not a monitor: held while the event is stored. Makes choosing the reported response and
  // emitting it one step, so a caller that lost the race to a transport's reader goes on only after
  // the reader's tool_result was emitted (the events that follow it stay behind it).
  private final ReentrantLock reporting = new ReentrantLock();

  ToolExecutor(Toolbox toolbox, TurnEmitter emitter, TurnControl control, ToolAudit audit) {
    this.toolbox = toolbox;
    this.emitter = emitter;
    this.control = control;
    this.audit = audit;
  }

  /**
   * The responses of one batch, one per request in request order, and whether the turn was
   * cancelled while it ran (then the calls that did not finish are answered "interrupted").
   */
  record Batch(List<Content.ToolResponse> responses, boolean cancelled) {}

  /** How the calls of one batch are decided. */
  interface Decider {
    ToolDecision decide(Content.ToolRequest request, Optional<ToolSpec> spec);
  }

  /** A fresh batch from the model: announced, then each call decided by {@code gate}. */
  Batch runAll(
      ToolContext context,
      List<Content.ToolRequest> requests,
      List<ToolSpec> offered,
      ToolGate gate) {
    return runAll(context, requests, offered, gate::check, true);
  }

  /**
   * The dangling calls of a resumed turn (already announced before the stop), decided by {@link
   * ToolGate#resume}.
   */
  Batch resumeAll(
      ToolContext context,
      List<Content.ToolRequest> requests,
      List<ToolSpec> offered,
      ToolGate gate) {
    return runAll(context, requests, offered, (request, spec) -> gate.resume(request), false);
  }

  /**
   * Returns one response per request, in order, also when interrupted; throws {@link
   * TurnSuspendedException} (answering none) when the server stops while a call waits for its
   * approval.
   */
  private Batch runAll(
      ToolContext turnContext,
      List<Content.ToolRequest> requests,
      List<ToolSpec> offered,
      Decider decider,
      boolean announce) {
    ToolContext context = reportingEarly(turnContext, requests);
    Map<String, ToolSpec> specs =
        offered.stream()
            .collect(Collectors.toMap(ToolSpec::name, Function.identity(), (a, b) -> a));
    if (requests.size() == 1) {
      Content.ToolRequest request = requests.getFirst();
      return runInline(
          context, request, Optional.ofNullable(specs.get(request.name())), decider, announce);
    }
    List<Future<Content.ToolResponse>> futures = new ArrayList<>();
    boolean cancelled = false;
    List<Boolean> finishedBeforeCancel = List.of();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Content.ToolRequest request : requests) {
        if (announce)
          emitter.emit(
              new TurnEvent.ToolCall(request.id(), request.name(), request.arguments(), "running"));
        Optional<ToolSpec> spec = Optional.ofNullable(specs.get(request.name()));
        futures.add(
            executor.submit(LogContext.carry(() -> runOne(context, request, spec, decider))));
      }
      List<Content.ToolResponse> responses = new ArrayList<>();
      control.enterWait(); // a cancel interrupts the waits below
      try {
        for (int i = 0; i < requests.size(); i++) {
          Content.ToolRequest request = requests.get(i);
          Content.ToolResponse response;
          try {
            // A call that ended after a cancel left its report to this thread (see runOne), and
            // get() may still return its response, not throw: report it here (once per call).
            response =
                cancelled
                    ? interrupted(request, futures.get(i), finishedBeforeCancel.get(i))
                    : report(request, futures.get(i).get());
          } catch (InterruptedException e) {
            cancelled = true;
            control.exitWait(); // the answers below write to the store: no second interrupt may hit
            // them
            // Taken before the interrupt below: a call that ends because of it is "interrupted".
            finishedBeforeCancel =
                futures.stream().map(f -> f.state() == Future.State.SUCCESS).toList();
            executor.shutdownNow();
            response = interrupted(request, futures.get(i), finishedBeforeCancel.get(i));
          } catch (ExecutionException e) {
            if (e.getCause() instanceof TurnSuspendedException suspended) {
              executor.shutdownNow();
              throw suspended;
            }
            if (e.getCause() instanceof LeaseLostException lost) {
              executor.shutdownNow(); // the turn is another instance's now: it stops here
              throw lost;
            }
            response =
                Content.ToolResponse.error(
                    request.id(),
                    "Tool failed: "
                        + ErrorMessages.of(Objects.requireNonNullElse(e.getCause(), e)));
            response = report(request, response);
          }
          responses.add(response);
        }
      } finally {
        control.exitWait();
      }
      return new Batch(responses, cancelled);
    }
  }

  /**
   * The one call of a batch, on the turn's thread. The decision and the call are the wait a cancel
   * may interrupt (as the wait for the calls' futures is in a batch of several); the result event
   * and the audit row are written after it, with no interrupt pending. An interrupted call is
   * answered "interrupted", whatever the tool made of its interrupt, as a batch of several does.
   */
  private Batch runInline(
      ToolContext context,
      Content.ToolRequest request,
      Optional<ToolSpec> spec,
      Decider decider,
      boolean announce) {
    if (announce)
      emitter.emit(
          new TurnEvent.ToolCall(request.id(), request.name(), request.arguments(), "running"));
    @Nullable ToolDecision decision = null; // null when the decision or the call threw
    Content.ToolResponse response;
    long durationMs = 0;
    boolean interrupted;
    control.enterWait(); // a cancel interrupts the decision and the call below
    try {
      ToolDecision decided = decider.decide(request, spec);
      if (decided.runs() && !control.ownerActive()) {
        // The user was removed: the call is not run (ownerActive cancelled the turn, so the
        // interrupt it raised answers it "interrupted" below).
        response = Content.ToolResponse.error(request.id(), INTERRUPTED);
      } else if (decided.runs()) {
        control.fence().check(); // a turn taken over elsewhere runs no tool here
        long started = System.nanoTime();
        response = toolbox.call(context, request);
        durationMs = (System.nanoTime() - started) / 1_000_000;
      } else {
        response = Content.ToolResponse.error(request.id(), decided.refusal());
      }
      decision = decided;
    } catch (TurnSuspendedException | LeaseLostException stopped) {
      throw stopped;
    } catch (RuntimeException e) {
      response = Content.ToolResponse.error(request.id(), "Tool failed: " + ErrorMessages.of(e));
    } finally {
      interrupted = Thread.currentThread().isInterrupted();
      control.exitWait(); // clears a pending interrupt: the writes below must not meet one
    }
    if (interrupted) response = Content.ToolResponse.error(request.id(), INTERRUPTED);
    response = report(request, response);
    if (decision != null) audit.record(context, request, decision, response, durationMs);
    return new Batch(List.of(response), interrupted);
  }

  private Content.ToolResponse runOne(
      ToolContext context, Content.ToolRequest request, Optional<ToolSpec> spec, Decider decider) {
    ToolDecision decision = decider.decide(request, spec);
    // The user was removed: the call is not run, and ownerActive cancelled the turn (whose thread
    // then answers every unfinished call "interrupted").
    boolean runs = decision.runs() && control.ownerActive();
    if (runs) control.fence().check(); // a turn taken over elsewhere runs no tool here
    long started = System.nanoTime();
    Content.ToolResponse response =
        runs
            ? toolbox.call(context, request)
            : Content.ToolResponse.error(
                request.id(), decision.runs() ? INTERRUPTED : decision.refusal());
    long durationMs = runs ? (System.nanoTime() - started) / 1_000_000 : 0;
    // After a cancel the turn's thread reports each call (what ended before it, or "interrupted").
    if (!control.isCancelled()) response = report(request, response);
    audit.record(context, request, decision, response, durationMs);
    return response;
  }

  /**
   * {@code context} whose notifications also report a result as soon as a transport has it (see the
   * class comment); one wrapper per batch, so that an extension's log message, which goes to each
   * distinct receiver of its calls in flight, still reaches the turn once.
   */
  private ToolContext reportingEarly(ToolContext context, List<Content.ToolRequest> requests) {
    Map<String, Content.ToolRequest> byId =
        requests.stream()
            .collect(Collectors.toMap(Content.ToolRequest::id, Function.identity(), (a, b) -> a));
    ToolNotifications turn = context.notifications();
    ToolNotifications batch =
        new ToolNotifications() {
          @Override
          public void notify(String source, String kind, JsonNode payload) {
            turn.notify(source, kind, payload);
          }

          @Override
          public void answered(Content.ToolResponse response) {
            Content.ToolRequest request = byId.get(response.id());
            // After a cancel the turn's thread reports each call, as runOne leaves it to.
            if (request != null && !control.isCancelled()) report(request, response);
          }
        };
    return new ToolContext(context.userId(), context.sessionId(), context.workingDir(), batch);
  }

  /** The answer of one call of a cancelled batch, as reported to the client. */
  private Content.ToolResponse interrupted(
      Content.ToolRequest request, Future<Content.ToolResponse> future, boolean finished) {
    if (finished) return report(request, future.resultNow());
    future.cancel(true);
    return report(request, Content.ToolResponse.error(request.id(), INTERRUPTED));
  }

  /**
   * The parts as JSON with their {@code type}: each part converted on its own keeps the type id its
   * sealed interface declares (a valueToTree of the whole list would drop it, the list's element
   * type being erased), without a round trip through a JSON string.
   */
  static ArrayNode contentTree(List<Content> parts) {
    ArrayNode tree = Json.MAPPER.createArrayNode();
    for (Content part : parts) tree.add(Json.MAPPER.<JsonNode>valueToTree(part));
    return tree;
  }

  /**
   * Emits the result once per call, even when a cancelled call returns late, and returns the
   * response that was emitted (an earlier one if there was one).
   */
  private Content.ToolResponse report(Content.ToolRequest request, Content.ToolResponse response) {
    reporting.lock();
    try {
      Content.ToolResponse first = reported.putIfAbsent(request.id(), response);
      if (first != null) return first;
      ArrayNode result = contentTree(response.content());
      emitter.emit(
          new TurnEvent.ToolResult(
              request.id(), request.name(), response.isError() ? "error" : "success", result));
      return response;
    } finally {
      reporting.unlock();
    }
  }
}
