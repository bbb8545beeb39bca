package goose.provider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange with a provider, run on the caller's thread (a turn's virtual thread) and
 * abortable from any thread: {@link #abort} cancels the request, which closes its connection at
 * once and wakes a reader blocked in {@code read} (before or after the response headers). A read
 * that waits {@code api_timeout} without a byte (the connection's socket timeout) aborts it with
 * {@link Abort#TIMEOUT}.
 */
final class HttpCall implements AutoCloseable {
  enum Abort {
    NONE,
    TIMEOUT,
    CLOSED
  }

  /** The most of a finished reply's rest that is read to keep its connection. */
  private static final int MAX_DRAIN = 64 * 1024;

  /** How long a finished call waits for its connection to be ready for the next one. */
  private static final java.time.Duration DRAIN_WAIT = java.time.Duration.ofMillis(250);

  private final AtomicReference<Abort> aborted = new AtomicReference<>(Abort.NONE);
  private final ProviderHttp http;
  private final HttpPost post;
  private volatile @Nullable ClassicHttpResponse response;
  private volatile @Nullable InputStream body;
  private volatile boolean ended;

  HttpCall(ProviderHttp http, ProviderPost request) {
    this.http = http;
    this.post = new HttpPost(request.uri());
    request.headers().forEach(post::setHeader);
    // no content type on the entity: the provider's own content-type header is sent as it is
    post.setEntity(new ByteArrayEntity(request.body(), null));
  }

  /** Sends the request and waits for the response headers. */
  void send() throws IOException {
    if (aborted.get() != Abort.NONE) throw new IOException("request aborted");
    ClassicHttpResponse r;
    try {
      r = http.client().executeOpen(null, post, null);
    } catch (SocketTimeoutException e) {
      abort(Abort.TIMEOUT);
      throw e;
    }
    response = r;
    HttpEntity entity = r.getEntity();
    body = entity == null ? InputStream.nullInputStream() : new WatchedStream(entity.getContent());
    if (aborted.get() != Abort.NONE) post.cancel();
  }

  int status() {
    return Objects.requireNonNull(response, "the response has not arrived").getCode();
  }

  /** The first value of a response header. */
  Optional<String> header(String name) {
    Header h =
        Objects.requireNonNull(response, "the response has not arrived").getFirstHeader(name);
    return h == null ? Optional.empty() : Optional.ofNullable(h.getValue());
  }

  /** The response body; only after {@link #send} returned. */
  InputStream body() {
    return Objects.requireNonNull(body, "the response has not arrived");
  }

  Abort aborted() {
    return Objects.requireNonNull(aborted.get()); // starts as NONE, never set to null
  }

  /** Aborts the exchange once; later calls keep the first reason. */
  void abort(Abort reason) {
    if (!aborted.compareAndSet(Abort.NONE, reason)) return;
    post.cancel();
  }

  /**
   * Ends an exchange whose reply was read whole (the API said it is complete): what is left of the
   * body, normally just the end of the chunked encoding, is read so that the connection goes back
   * to the pool for the next call (no new TCP or TLS handshake). The turn waits for that at most
   * {@link #DRAIN_WAIT} (normally the bytes are there already); a slower rest is read on, by a
   * virtual thread of its own, without the turn. More than {@link #MAX_DRAIN} bytes, or a read
   * error or timeout, closes the connection instead.
   */
  void finish() {
    if (ended || aborted.get() != Abort.NONE || body == null) {
      close();
      return;
    }
    InputStream in = body;
    Thread drain =
        Thread.ofVirtual()
            .name("provider-drain")
            .start(
                () -> {
                  try {
                    byte[] buf = new byte[512];
                    long left = MAX_DRAIN;
                    int n = 0;
                    while (left > 0 && n >= 0) {
                      n = in.read(buf, 0, buf.length);
                      left -= n;
                    }
                  } catch (IOException e) {
                    // the connection is closed below
                  }
                  close();
                });
    try {
      drain.join(DRAIN_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Ends the exchange: a body read to its end gives the connection back for the next call; any
   * other is closed (closing the stream would read the rest of it first).
   */
  @Override
  public void close() {
    ClassicHttpResponse r = response;
    if (ended && r != null && aborted.get() == Abort.NONE) {
      try {
        r.close();
        return;
      } catch (IOException e) {
        // fall through: discard the connection
      }
    }
    post.cancel();
  }

  private final class WatchedStream extends FilterInputStream {
    WatchedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        if (n < 0) ended = true;
        return n;
      } catch (SocketTimeoutException e) {
        abort(Abort.TIMEOUT);
        throw e;
      }
    }

    @Override
    public void close() {
      HttpCall.this.close();
    }
  }
}
