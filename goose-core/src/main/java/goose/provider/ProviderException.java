package goose.provider;

/**
 * A provider call that failed. The message is safe to show a client (never a key, never a raw body
 * longer than a line). {@code status} is the HTTP status, 0 when there was none.
 */
public final class ProviderException extends RuntimeException {

  public enum Kind {
    /** 401/403: bad or missing credentials. */
    AUTH,
    /** 429 after retries. */
    RATE_LIMITED,
    /** The input is too long for the model's context window. */
    CONTEXT_LENGTH_EXCEEDED,
    /** Other 4xx: the request was refused. */
    BAD_REQUEST,
    /** 5xx after retries. */
    SERVER,
    /** No byte from the provider for {@code api_timeout}. */
    TIMEOUT,
    /** Connection refused, reset, DNS... */
    NETWORK,
    /** The response could not be understood. */
    PROTOCOL
  }

  private final Kind kind;
  private final int status;

  public ProviderException(Kind kind, int status, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  public ProviderException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  /** The code used in the {@code error} event: provider_auth, provider_rate_limited, ... */
  public String code() {
    return "provider_" + kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
