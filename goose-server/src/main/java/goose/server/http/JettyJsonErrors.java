package goose.server.http;

import goose.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler, for requests rejected before they reach Javalin (a malformed request line,
 * an undecodable path, a shutting-down server): the same {@link ApiError} JSON as everywhere else
 * instead of Jetty's HTML page, and never a stack trace.
 */
public final class JettyJsonErrors extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() <= 0 ? 500 : response.getStatus();
    String message = message(status, request);
    byte[] body =
        Json.write(ApiError.of(ErrorCode.forStatus(status), message))
            .getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /**
   * Answers a request in front of Javalin (Host check, start-up gate) with {@code body} as JSON and
   * the headers Javalin's answers carry.
   */
  public static void writeJson(Response response, int status, Object body, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(
        true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
  }

  /**
   * What was wrong, for people: Jetty's own reason where it names the problem ({@code Illegal
   * character CNTL=0x1}, {@code No Host}), else the cause it wraps ({@code %zz} in a path), else
   * what the status means for this server. Never a server-side detail.
   */
  private static String message(int status, Request request) {
    String fixed =
        switch (status) {
          case 503 -> "server is shutting down";
          case 500 -> "internal server error";
          case 505 -> "HTTP version not supported: send HTTP/1.1 (or HTTP/1.0)";
          case 414 -> "the request's URI is too long" + headerLimit(request);
          case 431 -> "the request's headers are too large" + headerLimit(request);
          default -> "";
        };
    if (!fixed.isEmpty()) return fixed;
    String reason = HttpStatus.getMessage(status);
    Object attribute = request.getAttribute(ERROR_MESSAGE);
    if (attribute != null && !attribute.toString().equals(reason))
      return Sanitize.shortText(attribute.toString(), 200);
    for (Throwable t = (Throwable) request.getAttribute(ERROR_EXCEPTION);
        t != null;
        t = t.getCause()) {
      String text = t.getMessage();
      // Jetty's URI decoder says only "!hex z" of "%zz".
      if (text != null && text.startsWith("!hex"))
        return reason + ": a '%' in the URI is not followed by two hex digits";
      if (text != null && !text.isBlank() && !text.equals(reason) && !text.startsWith(status + ":"))
        return reason + ": " + Sanitize.shortText(text, 200);
    }
    return reason;
  }

  private static String headerLimit(Request request) {
    int bytes = request.getConnectionMetaData().getHttpConfiguration().getRequestHeaderSize();
    return ": the request line and headers take at most " + bytes + " bytes";
  }

  /** Writes an error straight to a servlet response (used where Javalin has no context left). */
  static void writeTo(HttpServletResponse res, int status, ApiError error) {
    try {
      if (res.isCommitted()) return;
      res.resetBuffer();
      res.setStatus(status);
      res.setContentType("application/json");
      res.getOutputStream().write(Json.write(error).getBytes(StandardCharsets.UTF_8));
    } catch (IOException | IllegalStateException ignored) {
      // The client is gone or the response is already underway: nothing more can be said.
    }
  }
}
