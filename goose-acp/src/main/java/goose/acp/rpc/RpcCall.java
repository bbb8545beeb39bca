package goose.acp.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** One request being answered: its id, and what a {@code $/cancel_request} for it does. */
public final class RpcCall {
  private final JsonNode id;
  private volatile Runnable onCancel = () -> {};
  private volatile boolean cancelled;

  RpcCall(JsonNode id) {
    this.id = id;
  }

  public JsonNode id() {
    return id;
  }

  /** Runs {@code action} when the client cancels this request (at once if it already did). */
  public void onCancel(Runnable action) {
    onCancel = action;
    if (cancelled) action.run();
  }

  public boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
    onCancel.run();
  }
}
