package goose.extension;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Any client transport, plus what MCP's cancellation needs: the JSON-RPC id of each {@code
 * tools/call} in flight, by the call's progress token, so that a cancelled call can be named in a
 * {@code notifications/cancelled}. The SDK's client sends no such notification when its caller is
 * interrupted and does not expose the ids it generates; the requests pass through here on their way
 * out, for stdio and HTTP alike.
 *
 * <p>The same ids let the answer of a call be seen on its way in: a successful response to a call
 * in flight goes to {@code answered} (with the call's progress token) on the thread that received
 * it, before the SDK hands it to the waiting caller.
 */
final class CancellingTransport implements McpClientTransport {
  private static final Logger log = LoggerFactory.getLogger(CancellingTransport.class);
  static final String CANCELLED = "notifications/cancelled";

  /** Receives the result of a call in flight, by its progress token, as it arrives. */
  @FunctionalInterface
  interface Answers {
    void answered(String token, Object result);
  }

  private final McpClientTransport delegate;
  private final Answers answers;
  private final Map<String, Object> callIds = new ConcurrentHashMap<>();
  private final Map<Object, String> tokensById = new ConcurrentHashMap<>();

  CancellingTransport(McpClientTransport delegate, Answers answers) {
    this.delegate = delegate;
    this.answers = answers;
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest request
        && McpSchema.METHOD_TOOLS_CALL.equals(request.method())
        && request.params() instanceof McpSchema.CallToolRequest call
        && call.meta() != null
        && call.meta().get("progressToken") instanceof String token) {
      callIds.put(token, request.id());
      tokensById.put(request.id(), token);
    }
    return delegate.sendMessage(message);
  }

  /** The call with this progress token has ended (answered or not): its id is no longer needed. */
  void ended(String token) {
    Object id = callIds.remove(token);
    if (id != null) tokensById.remove(id);
  }

  /** On the receiving thread, before the SDK sees the message. */
  private void received(McpSchema.JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCResponse response)
        || response.error() != null
        || response.result() == null) return;
    String token = tokensById.get(response.id());
    if (token == null) return;
    try {
      answers.answered(token, response.result());
    } catch (RuntimeException e) {
      // The caller still gets the response from the SDK and reports it itself.
      log.debug("handling the answer of call {} early failed", response.id(), e);
    }
  }

  /**
   * Tells the server that the call with this progress token is cancelled; nothing when the call was
   * never sent. Does not wait: the caller is an interrupted thread, and a failure to send changes
   * nothing for it (the call is over on this side either way).
   */
  void cancel(String token, String reason) {
    Object id = callIds.remove(token);
    if (id == null) return;
    tokensById.remove(id);
    delegate
        .sendMessage(
            new McpSchema.JSONRPCNotification(CANCELLED, Map.of("requestId", id, "reason", reason)))
        .subscribe(
            sent -> {}, e -> log.debug("telling the server that call {} is cancelled", id, e));
  }

  @Override
  public Mono<Void> connect(
      Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(inbound -> handler.apply(inbound.doOnNext(this::received)));
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}
