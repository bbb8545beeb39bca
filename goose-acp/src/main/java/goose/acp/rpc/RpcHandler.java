package goose.acp.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** What a peer does with the requests and notifications it receives. */
public interface RpcHandler {

  /**
   * Answers one request on its own virtual thread (it may block: a prompt lasts a whole turn);
   * throws {@link RpcException} to answer with an error. {@code call} tells it the request's id and
   * lets it register what {@code $/cancel_request} should do.
   */
  JsonNode request(String method, JsonNode params, RpcCall call);

  /** Handles a notification on the reading thread: keep it short. */
  void notification(String method, JsonNode params);

  /** The connection is gone: release what it held. */
  default void closed() {}
}
