package goose.provider;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP side shared by the calls of one provider: the client, {@code api_timeout} (longest
 * silence from the provider, connecting and between chunks) and the retry policy.
 */
public record ProviderHttp(HttpClient client, Duration apiTimeout, RetryPolicy retry) {
  public ProviderHttp {
    Objects.requireNonNull(client);
    Objects.requireNonNull(apiTimeout);
    Objects.requireNonNull(retry);
    if (apiTimeout.isZero() || apiTimeout.isNegative())
      throw new IllegalArgumentException("api_timeout must be positive");
  }

  public static ProviderHttp create(Duration apiTimeout, RetryPolicy retry) {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(apiTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new ProviderHttp(client, apiTimeout, retry);
  }
}
