package goose.acp.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.acp.rpc.RpcException;
import goose.acp.wire.AcpJson;
import goose.agent.TurnLimitException;
import goose.error.ErrorMessages;
import goose.extension.ExtensionException;
import goose.provider.ProviderNotConfiguredException;
import goose.session.SessionNotFoundException;
import goose.session.TurnConflictException;
import java.util.Optional;

/**
 * The one place the core's failures become JSON-RPC errors on the ACP face, as {@code CoreErrors}
 * makes them HTTP statuses on the REST face. The {@code data} names the same error code the REST
 * API uses ({@code {"code":"conflict","message":...}}), so a client can tell them apart.
 */
final class AcpErrors {
  private AcpErrors() {}

  static RpcException map(RuntimeException e) {
    return switch (e) {
      case RpcException rpc -> rpc;
      case SessionNotFoundException notFound ->
          error(
              RpcException.RESOURCE_NOT_FOUND,
              "Resource not found",
              "not_found",
              ErrorMessages.of(notFound));
      case TurnConflictException conflict ->
          error(
              RpcException.INVALID_REQUEST,
              "A turn is already running in this session",
              "conflict",
              conflict.getMessage() + "; wait for it to end or send session/cancel");
      case TurnLimitException limit ->
          error(
              RpcException.INTERNAL_ERROR,
              "Too many running turns",
              "too_many_requests",
              limit.getMessage() + " (GOOSE_MAX_TURNS_PER_USER)");
      case ProviderNotConfiguredException missing ->
          error(
              RpcException.INTERNAL_ERROR,
              "No provider configured",
              "provider_not_configured",
              ErrorMessages.of(missing));
      case ExtensionException.NotAllowed refused ->
          error(
              RpcException.INVALID_PARAMS,
              "Invalid params",
              "forbidden",
              ErrorMessages.of(refused));
      case ExtensionException ext ->
          error(
              RpcException.INVALID_PARAMS,
              "Invalid params",
              "invalid_field",
              ErrorMessages.of(ext));
      case IllegalArgumentException bad -> RpcException.invalidParams(ErrorMessages.of(bad));
      default -> RpcException.internal(e.getClass().getSimpleName() + ": " + e.getMessage());
    };
  }

  static RpcException error(int rpcCode, String message, String code, String detail) {
    ObjectNode data = AcpJson.object().put("code", code).put("message", detail);
    return new RpcException(rpcCode, message, Optional.of(data));
  }
}
