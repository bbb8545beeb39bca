package goose.server.http;

import java.util.Objects;

/**
 * A request the server answers with an error response. Handlers throw it; {@link ErrorMapping} turns it
 * into {@link ApiError} JSON with {@link #status()}. The message is shown to the client, so it must
 * name the problem (which field, which id) and never carry internals.
 */
public class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final int status;

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

  public static ApiException notFound(String message) {
    return new ApiException(ErrorCode.NOT_FOUND, message);
  }

  /** A body field is missing or wrong; {@code field} is its JSON path (snake_case, e.g. {@code cwd}). */
  public static ApiException badField(String field, String problem) {
    return new ApiException(ErrorCode.INVALID_FIELD, "field '" + field + "' " + problem);
  }

  public static ApiException badParameter(String name, String problem) {
    return new ApiException(ErrorCode.INVALID_PARAMETER, "query parameter '" + name + "' " + problem);
  }
}
