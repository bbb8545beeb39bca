package goose.provider;

import goose.error.ErrorMessages;
import goose.provider.ProviderException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed provider call: sends the request on the first {@link #hasNext()}, decodes the SSE body
 * with the shared {@link SseDecoder} and the API's {@link WireDecoder}, and retries failures (429,
 * 5xx, connection lost) while nothing of the response has been handed to the caller — after that a
 * retry would repeat words the user has already seen. Idle timeouts are not retried: the user has
 * already waited {@code api_timeout}. {@link #close()} from any thread aborts the exchange.
 */
final class HttpProviderStream implements ProviderStream {
  private static final Logger LOG = LoggerFactory.getLogger(HttpProviderStream.class);
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final String provider;
  private final ProviderHttp http;
  private final ProviderPost request;
  private final Supplier<WireDecoder> decoders;
  private final List<String> secrets;
  private final ArrayDeque<ProviderEvent> pending = new ArrayDeque<>();
  private final CountDownLatch closedSignal = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile @Nullable HttpCall call;
  private @Nullable SseDecoder sse;
  private @Nullable WireDecoder wire;
  private boolean yielded;
  private boolean finished;
  private int retries;
  private Optional<Duration> retryAfter = Optional.empty();

  HttpProviderStream(
      String provider,
      ProviderHttp http,
      ProviderPost request,
      Supplier<WireDecoder> decoders,
      List<String> secrets) {
    this.provider = provider;
    this.http = http;
    this.request = request;
    this.decoders = decoders;
    this.secrets = List.copyOf(secrets);
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty()) {
      if (closed || finished) return false;
      step();
    }
    return true;
  }

  @Override
  public ProviderEvent next() {
    if (!hasNext()) throw new NoSuchElementException("the provider stream has ended");
    yielded = true;
    return pending.poll();
  }

  @Override
  public void close() {
    closed = true;
    closedSignal.countDown();
    HttpCall c = call;
    if (c != null) c.abort(HttpCall.Abort.CLOSED);
  }

  /** One unit of progress: open the exchange, or read and decode one event. */
  private void step() {
    try {
      SseDecoder events = sse;
      WireDecoder decoder = wire;
      if (events == null || decoder == null) {
        open();
        return;
      }
      Optional<SseEvent> event = events.next();
      if (stoppedByAbort()) return;
      if (event.isEmpty()) {
        decoder.onEnd(pending::add);
        finish();
      } else if (decoder.onEvent(event.get(), pending::add)) {
        finish();
      }
    } catch (IOException e) {
      if (stoppedByAbort()) return;
      if (Thread.currentThread().isInterrupted()) {
        close();
        return;
      }
      retryOrThrow(
          new ProviderException(
              Kind.NETWORK, 0, provider + ": connection failed: " + describe(e), e));
    } catch (SseDecoder.SseFormatException e) {
      fail(ProviderErrors.protocol(provider, ErrorMessages.of(e)));
    } catch (ProviderException e) {
      if (stoppedByAbort()) return;
      retryOrThrow(e);
    }
  }

  private void open() throws IOException {
    HttpCall c = new HttpCall(http, request);
    call = c;
    if (closed) c.abort(HttpCall.Abort.CLOSED);
    c.send();
    int status = c.status();
    if (status / 100 != 2) {
      String body = readBounded(c.body());
      c.close();
      if (stoppedByAbort()) return;
      retryAfter = RetryPolicy.retryAfter(c::header);
      throw ProviderErrors.fromStatus(provider, status, body, secrets);
    }
    sse = new SseDecoder(c.body());
    wire = decoders.get();
  }

  /**
   * Returns true when the exchange was aborted by close(); throws when it was aborted by the idle
   * watch.
   */
  private boolean stoppedByAbort() {
    if (closed) return true;
    HttpCall c = call;
    if (c != null && c.aborted() == HttpCall.Abort.TIMEOUT) {
      finished = true;
      throw new ProviderException(
          Kind.TIMEOUT,
          0,
          provider
              + ": no data from the provider for "
              + seconds(http.apiTimeout())
              + " s (api_timeout)");
    }
    return false;
  }

  private void retryOrThrow(ProviderException e) {
    Optional<Duration> asked = retryAfter;
    retryAfter = Optional.empty();
    boolean retryable =
        e.kind() == Kind.RATE_LIMITED || e.kind() == Kind.SERVER || e.kind() == Kind.NETWORK;
    if (!retryable || yielded) fail(e);
    Duration delay = http.retry().delay(retries + 1, asked);
    if (!http.retry().allows(delay)) {
      fail(
          new ProviderException(
              e.kind(),
              e.status(),
              e.getMessage() + " (the provider asks to wait " + seconds(delay) + " s)",
              e));
    }
    if (retries >= http.retry().maxRetries()) {
      fail(
          retries == 0
              ? e
              : new ProviderException(
                  e.kind(), e.status(), e.getMessage() + " (after " + retries + " retries)", e));
    }
    retries++;
    LOG.warn(
        "{} (retry {}/{} in {} ms)",
        e.getMessage(),
        retries,
        http.retry().maxRetries(),
        delay.toMillis());
    discardAttempt();
    try {
      closedSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      close();
    }
  }

  private void fail(ProviderException e) {
    finished = true;
    discardAttempt();
    throw e;
  }

  private void finish() {
    finished = true;
    HttpCall c = call;
    if (c != null) c.finish();
  }

  private void discardAttempt() {
    HttpCall c = call;
    if (c != null) c.close();
    sse = null;
    wire = null;
    pending.clear();
  }

  private static String readBounded(InputStream body) {
    try (body) {
      return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    return ProviderErrors.oneLine(text);
  }

  private static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }
}
