package goose.server.http;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The machine-readable {@code error.code} of every error response, with the HTTP status it goes
 * with. Clients switch on the code, not on the message; new failure kinds add a constant here.
 */
public enum ErrorCode {
  INVALID_JSON(400),
  INVALID_FIELD(400),
  INVALID_PARAMETER(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  PAYLOAD_TOO_LARGE(413),
  /** A request id sent again with another message: not the same request (it would be dropped). */
  REQUEST_ID_REUSED(422),
  NOT_ACCEPTABLE(406),
  UNSUPPORTED_MEDIA_TYPE(415),
  /** The request's Host is not a name this server answers to (GOOSE_ALLOWED_HOSTS). */
  MISDIRECTED_REQUEST(421),
  TOO_MANY_REQUESTS(429),
  INTERNAL(500),
  SERVICE_UNAVAILABLE(503),
  PROVIDER_NOT_CONFIGURED(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The code a bare HTTP status maps to (Javalin's and Jetty's own errors arrive as statuses). */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 400 -> INVALID_PARAMETER;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 406 -> NOT_ACCEPTABLE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 421 -> MISDIRECTED_REQUEST;
      case 429 -> TOO_MANY_REQUESTS;
      case 503 -> SERVICE_UNAVAILABLE;
      // A 505 is the client's HTTP version: its request is wrong, not the server.
      case 505 -> INVALID_PARAMETER;
      default -> status >= 500 ? INTERNAL : INVALID_PARAMETER;
    };
  }
}
