package goose.acp.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;

/**
 * A JSON-RPC error answer: thrown by a method handler, sent as the response's {@code error}. The
 * codes are JSON-RPC's and ACP's ({@code -32002} resource not found, {@code -32000} authentication
 * required).
 */
public final class RpcException extends RuntimeException {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  public static final int AUTH_REQUIRED = -32000;
  public static final int RESOURCE_NOT_FOUND = -32002;

  private final int code;
  private final transient Optional<JsonNode> data;

  public RpcException(int code, String message, Optional<JsonNode> data) {
    super(message);
    this.code = code;
    this.data = data;
  }

  public int code() {
    return code;
  }

  public Optional<JsonNode> data() {
    return data;
  }

  public static RpcException methodNotFound(String method) {
    return new RpcException(
        METHOD_NOT_FOUND, "Method not found", Optional.of(TextNode.valueOf(method)));
  }

  /** Bad params: the message says which field and why. */
  public static RpcException invalidParams(String detail) {
    return new RpcException(
        INVALID_PARAMS, "Invalid params", Optional.of(TextNode.valueOf(detail)));
  }

  public static RpcException notFound(String detail) {
    return new RpcException(
        RESOURCE_NOT_FOUND, "Resource not found", Optional.of(TextNode.valueOf(detail)));
  }

  public static RpcException internal(String detail) {
    return new RpcException(
        INTERNAL_ERROR, "Internal error", Optional.of(TextNode.valueOf(detail)));
  }
}
