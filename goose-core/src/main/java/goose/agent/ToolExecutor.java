package goose.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import goose.conversation.Content;
import goose.event.TurnEvent;
import goose.json.Json;
import goose.tool.ToolContext;
import goose.tool.Toolbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the tool calls of one model response concurrently, each on its own virtual thread, and returns
 * their responses in request order. Each call is announced ({@code tool_call}) before it starts and
 * reported ({@code tool_result}) as soon as it ends. A cancelled turn answers the calls that did not
 * finish with an "interrupted" error, so the conversation never holds a request without a response.
 */
final class ToolExecutor {
  static final String INTERRUPTED = "The tool call was interrupted before it finished.";

  private final Toolbox toolbox;
  private final TurnEmitter emitter;
  private final TurnControl control;
  private final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

  ToolExecutor(Toolbox toolbox, TurnEmitter emitter, TurnControl control) {
    this.toolbox = toolbox;
    this.emitter = emitter;
    this.control = control;
  }

  /** Returns one response per request, in order; throws {@link TurnCancelledException} after answering all when interrupted. */
  List<Content.ToolResponse> runAll(ToolContext context, List<Content.ToolRequest> requests, ToolGate gate) {
    List<Future<Content.ToolResponse>> futures = new ArrayList<>();
    boolean cancelled = false;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Content.ToolRequest request : requests) {
        emitter.emit(new TurnEvent.ToolCall(request.id(), request.name(), request.arguments(), "running"));
        futures.add(executor.submit(LogContext.carry(() -> runOne(context, request, gate))));
      }
      List<Content.ToolResponse> responses = new ArrayList<>();
      control.enterWait(); // a cancel interrupts the waits below
      try {
        for (int i = 0; i < requests.size(); i++) {
          Content.ToolRequest request = requests.get(i);
          Content.ToolResponse response;
          try {
            response = cancelled ? interrupted(request, futures.get(i)) : futures.get(i).get();
          } catch (InterruptedException e) {
            cancelled = true;
            control.exitWait(); // the answers below write to the store: no second interrupt may hit them
            executor.shutdownNow();
            response = interrupted(request, futures.get(i));
          } catch (ExecutionException e) {
            response = Content.ToolResponse.error(request.id(), "Tool failed: " + e.getCause().getMessage());
            report(request, response);
          }
          responses.add(response);
        }
      } finally {
        control.exitWait();
      }
      if (cancelled) throw new TurnCancelledException();
      return responses;
    }
  }

  private Content.ToolResponse runOne(ToolContext context, Content.ToolRequest request, ToolGate gate) {
    Content.ToolResponse response =
        gate.check(request).orElseGet(() -> toolbox.call(context, request));
    report(request, response);
    return response;
  }

  private Content.ToolResponse interrupted(Content.ToolRequest request, Future<Content.ToolResponse> future) {
    if (future.state() == Future.State.SUCCESS) return future.resultNow();
    future.cancel(true);
    Content.ToolResponse response = Content.ToolResponse.error(request.id(), INTERRUPTED);
    report(request, response);
    return response;
  }

  private static final com.fasterxml.jackson.databind.ObjectWriter CONTENT_LIST =
      Json.MAPPER.writerFor(new com.fasterxml.jackson.core.type.TypeReference<List<Content>>() {});

  /** The parts as JSON with their {@code type} (a plain valueToTree of the list would drop it). */
  static ArrayNode contentTree(List<Content> parts) {
    try {
      return (ArrayNode) Json.MAPPER.readTree(CONTENT_LIST.writeValueAsString(parts));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Emits the result once per call, even when a cancelled call returns late. */
  private void report(Content.ToolRequest request, Content.ToolResponse response) {
    if (!reported.add(request.id())) return;
    ArrayNode result = contentTree(response.content());
    emitter.emit(new TurnEvent.ToolResult(request.id(), request.name(), response.isError() ? "error" : "success", result));
  }
}
