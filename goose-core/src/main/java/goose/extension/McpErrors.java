package goose.extension;

import goose.error.Causes;
import io.modelcontextprotocol.spec.McpError;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern STATUS = Pattern.compile("[Ss]tatus code:?\\s*(\\d{3})");

  /**
   * {@link #describe} for a remote server's failure, without anything the peer sent but a status
   * code or a JSON-RPC error: the SDK puts the body of an answer it cannot read into its message
   * ({@code Cannot deserialize JSONRPCMessage: <body>}), and that would hand whatever answered at
   * the URL (any HTTP service the server can reach) to the one who gave the URL.
   */
  static String describeRemote(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ExtensionException.NotAllowed refused)
        return Objects.requireNonNullElse(refused.getMessage(), "refused");
      if (t instanceof McpError mcp && mcp.getJsonRpcError() != null) {
        String message = Objects.requireNonNullElse(mcp.getJsonRpcError().message(), "");
        String line = message.lines().findFirst().orElse("");
        return "server error "
            + mcp.getJsonRpcError().code()
            + ": "
            + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
      }
      if (t.getCause() == t) break;
    }
    if (timedOut(e)) return "timed out";
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher status = STATUS.matcher(Objects.requireNonNullElse(t.getMessage(), ""));
      if (status.find())
        return "the server answered HTTP status " + status.group(1) + ", not an MCP answer";
      if (t.getCause() == t) break;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      // the JDK's own network errors name the failure, never the peer's data (Jackson's, also
      // IOExceptions, may quote the input)
      if (t instanceof java.io.IOException && t.getClass().getName().startsWith("java.")) {
        String m = Objects.requireNonNullElse(t.getMessage(), "");
        String line = m.lines().findFirst().orElse("");
        if (line.length() > 200) line = line.substring(0, 200) + "…";
        return t.getClass().getSimpleName() + (line.isBlank() ? "" : ": " + line);
      }
      if (t.getCause() == t) break;
    }
    return "not an MCP server: its answer is not a JSON-RPC message of the MCP transport";
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
