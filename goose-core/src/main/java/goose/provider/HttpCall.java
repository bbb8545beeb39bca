package goose.provider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange with a provider, abortable from any thread: before the response headers by
 * cancelling the exchange, after them by closing the body stream (the JDK then closes the HTTP/1.1
 * connection or resets the HTTP/2 stream, and wakes a reader blocked in {@code read}). An idle
 * watch aborts it with {@link Abort#TIMEOUT} after {@code apiTimeout} without a byte.
 */
final class HttpCall implements AutoCloseable {
  enum Abort {
    NONE,
    TIMEOUT,
    CLOSED
  }

  private final AtomicReference<Abort> aborted = new AtomicReference<>(Abort.NONE);
  private final IdleWatchdog.Watch watch;
  private final CompletableFuture<HttpResponse<InputStream>> future;
  private volatile @Nullable InputStream body;

  HttpCall(HttpClient client, HttpRequest request, Duration apiTimeout) {
    this.future = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    this.watch = IdleWatchdog.start(apiTimeout, () -> abort(Abort.TIMEOUT));
  }

  /**
   * Waits for the response headers; the body is read through a stream that feeds the idle watch.
   */
  HttpResponse<InputStream> await() throws IOException, InterruptedException {
    HttpResponse<InputStream> response;
    try {
      response = future.get();
    } catch (CancellationException e) {
      throw new IOException("request aborted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) throw io;
      throw new IOException(cause == null ? "request failed" : cause.toString(), cause);
    }
    watch.touch();
    body = new WatchedStream(response.body());
    if (aborted.get() != Abort.NONE) closeBody();
    return response;
  }

  /** The response body; only after {@link #await} returned. */
  InputStream body() {
    return Objects.requireNonNull(body, "the response has not arrived");
  }

  Abort aborted() {
    return Objects.requireNonNull(aborted.get()); // starts as NONE, never set to null
  }

  /** Aborts the exchange once; later calls keep the first reason. */
  void abort(Abort reason) {
    if (!aborted.compareAndSet(Abort.NONE, reason)) return;
    watch.stop();
    future.cancel(true);
    closeBody();
  }

  /** Ends a finished exchange (releases the connection). */
  @Override
  public void close() {
    watch.stop();
    future.cancel(true);
    closeBody();
  }

  private void closeBody() {
    InputStream b = body;
    if (b == null) return;
    try {
      b.close();
    } catch (IOException ignored) {
      // closing to abort: nothing more to do
    }
  }

  private final class WatchedStream extends FilterInputStream {
    WatchedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) watch.touch();
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) watch.touch();
      return n;
    }
  }
}
