package goose.provider;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.Objects;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP side shared by the calls of one provider: the client, {@code api_timeout} (longest
 * silence from the provider, connecting and between chunks) and the retry policy.
 *
 * <p>The client is Apache HttpClient's classic (blocking) one: a turn reads its provider's stream
 * on its own virtual thread, straight from the socket. The JDK's {@code java.net.http} client, used
 * before, reads every chunk on its selector thread and hands it over to the reader through a queue:
 * about 1 ms more CPU for a 20-chunk reply, and a wake-up more per chunk (docs/benchmarks.md,
 * "Provider client and decode"). Its settings match what the JDK client did here: the default
 * {@link ProxySelector} (the {@code https.proxyHost}/{@code http.proxyHost} system properties), the
 * JVM's default TLS set-up ({@code javax.net.ssl.*}), no redirects, no automatic retries (the
 * {@link RetryPolicy} decides), no compression (event streams), no cookies.
 */
public record ProviderHttp(CloseableHttpClient client, Duration apiTimeout, RetryPolicy retry) {
  /**
   * Connections kept per provider host: one per concurrent turn (HTTP/1.1 has one exchange per
   * connection); beyond this a turn waits for a free one.
   */
  private static final int MAX_CONNECTIONS = 20_000;

  /**
   * Each connection's input and output buffer. Events are small and a request body larger than the
   * buffer is written straight to the socket; the library's default (8 KB each, allocated for every
   * new connection) was the largest allocation of a turn at 1,000 concurrent turns.
   */
  private static final int BUFFER_SIZE = 4096;

  public ProviderHttp {
    Objects.requireNonNull(client);
    Objects.requireNonNull(apiTimeout);
    Objects.requireNonNull(retry);
    if (apiTimeout.isZero() || apiTimeout.isNegative())
      throw new IllegalArgumentException("api_timeout must be positive");
  }

  public static ProviderHttp create(Duration apiTimeout, RetryPolicy retry) {
    if (apiTimeout.isZero() || apiTimeout.isNegative())
      throw new IllegalArgumentException("api_timeout must be positive");
    Timeout timeout = Timeout.ofMilliseconds(Math.max(1, apiTimeout.toMillis()));
    CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .useSystemProperties()
                    .setConnectionFactory(
                        ManagedHttpClientConnectionFactory.builder()
                            .http1Config(Http1Config.custom().setBufferSize(BUFFER_SIZE).build())
                            .build())
                    .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                    .setMaxConnTotal(MAX_CONNECTIONS)
                    .setMaxConnPerRoute(MAX_CONNECTIONS)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(timeout)
                            // the idle-read limit: no byte for api_timeout ends the exchange
                            .setSocketTimeout(timeout)
                            // a kept-alive connection idle for a while is checked before reuse
                            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                            .build())
                    .build())
            .setRoutePlanner(new SystemDefaultRoutePlanner(ProxySelector.getDefault()))
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableCookieManagement()
            .disableAuthCaching()
            .build();
    return new ProviderHttp(client, apiTimeout, retry);
  }
}
