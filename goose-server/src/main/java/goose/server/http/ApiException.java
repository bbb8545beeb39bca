package goose.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request the server answers with an error response. Handlers throw it; {@link ErrorMapping}
 * turns it into {@link ApiError} JSON with {@link #status()}. The message is shown to the client,
 * so it must name the problem (which field, which id) and never carry internals.
 */
public class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ApiException(ErrorCode code, String message) {
    this(code, code.status(), message);
  }

  public ApiException(ErrorCode code, int status, String message) {
    super(Objects.requireNonNull(message), null, false, false);
    this.code = Objects.requireNonNull(code);
    this.status = status;
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** Response headers that belong to this error ({@code WWW-Authenticate}, {@code Retry-After}). */
  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }

  /**
   * Adds a header to the error response; returns this exception, for {@code throw
   * e.withHeader(...)}.
   */
  public ApiException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** 429 with {@code Retry-After} (whole seconds, at least 1). */
  public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
    return new ApiException(ErrorCode.TOO_MANY_REQUESTS, message)
        .withHeader("Retry-After", String.valueOf(Math.max(1, retryAfterSeconds)));
  }

  public static ApiException notFound(String message) {
    return new ApiException(ErrorCode.NOT_FOUND, message);
  }

  /**
   * A body field is missing or wrong; {@code field} is its JSON path (snake_case, e.g. {@code
   * cwd}).
   */
  public static ApiException badField(String field, String problem) {
    return new ApiException(ErrorCode.INVALID_FIELD, "field '" + field + "' " + problem);
  }

  public static ApiException badParameter(String name, String problem) {
    return new ApiException(
        ErrorCode.INVALID_PARAMETER, "query parameter '" + name + "' " + problem);
  }

  public static ApiException badHeader(String name, String problem) {
    return new ApiException(ErrorCode.INVALID_PARAMETER, "header '" + name + "' " + problem);
  }
}
