package goose.extension;

import goose.error.Causes;
import io.modelcontextprotocol.spec.McpError;
import java.util.concurrent.TimeoutException;

/** Turns the SDK's (often wrapped) exceptions into one readable line. */
final class McpErrors {
  private McpErrors() {}

  static String describe(Throwable e) {
    Throwable root = e;
    String best = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof McpError mcp && mcp.getJsonRpcError() != null) {
        return "server error "
            + mcp.getJsonRpcError().code()
            + ": "
            + mcp.getJsonRpcError().message();
      }
      if (t instanceof TimeoutException) return "timed out";
      if (t.getMessage() != null && !t.getMessage().isBlank()) best = t.getMessage();
      if (t.getCause() == t) break;
    }
    String text = best != null ? best : root.getClass().getSimpleName();
    String line = text.lines().findFirst().orElse(text);
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }

  static boolean timedOut(Throwable e) {
    return Causes.include(e, TimeoutException.class);
  }

  /** Whether the failure says the server could not be reached at all (refused, reset, closed). */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof java.net.http.HttpConnectTimeoutException
          || t instanceof java.io.EOFException) {
        return true;
      }
      if (t instanceof java.io.IOException
          && t.getMessage() != null
          && (t.getMessage().contains("Connection reset")
              || t.getMessage().contains("connection closed"))) {
        return true;
      }
      if (t.getCause() == t) break;
    }
    return false;
  }

  static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }
}
