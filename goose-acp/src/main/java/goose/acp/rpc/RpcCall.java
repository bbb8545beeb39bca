package goose.acp.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicReference;

/** One request being answered: its id, and what a {@code $/cancel_request} for it does. */
public final class RpcCall {
  private final JsonNode id;
  private final AtomicReference<Runnable> onCancel = new AtomicReference<>(() -> {});
  private volatile boolean cancelled;

  RpcCall(JsonNode id) {
    this.id = id;
  }

  public JsonNode id() {
    return id;
  }

  /** Runs {@code action} when the client cancels this request (at once if it already did). */
  public void onCancel(Runnable action) {
    onCancel.set(action);
    if (cancelled) action.run();
  }

  public boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
    onCancel.get().run();
  }
}
