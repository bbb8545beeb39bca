package goose.provider.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted HTTP/1.1 provider on 127.0.0.1 (random port), written on a raw socket so a test
 * controls every byte: each write of a streamed reply is its own HTTP chunk and TCP segment, a
 * reply can end with a TCP reset or a stall, and the fake notices when the client hangs up. Replies
 * are taken in order from a queue ({@link #enqueue}); a request with no reply left gets a 500
 * naming the problem. Every request is recorded. One request per connection ({@code Connection:
 * close}).
 */
public class FakeHttpServer implements AutoCloseable {
  private static final Duration MAX_STALL = Duration.ofSeconds(60);

  private final ServerSocket server;
  private final ConcurrentLinkedQueue<FakeExchange> script = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Function<RecordedRequest, Optional<FakeReply.Status>> refusal;
  private volatile boolean closed;

  public FakeHttpServer() {
    this(InetAddress.getLoopbackAddress());
  }

  /**
   * Listening on {@code address} instead of loopback: for a server in a container, the host's
   * address on the container network.
   */
  public FakeHttpServer(InetAddress address) {
    this(address, request -> Optional.empty());
  }

  /**
   * @param refusal the answer the real API gives a request it refuses outright (a malformed
   *     conversation), or empty when it would accept it; a refused request takes no scripted reply
   */
  protected FakeHttpServer(
      InetAddress address, Function<RecordedRequest, Optional<FakeReply.Status>> refusal) {
    this.refusal = refusal;
    try {
      server = new ServerSocket(0, 200, address);
    } catch (IOException e) {
      throw new IllegalStateException("fake provider cannot listen on " + address, e);
    }
    Thread.ofVirtual().name("fake-provider-accept").start(this::acceptLoop);
  }

  /** {@code http://ADDRESS:PORT} (no trailing slash), {@code http://127.0.0.1:PORT} by default. */
  public URI baseUri() {
    return URI.create(
        "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Queues the reply to the next unanswered request. */
  public FakeExchange enqueue(FakeReply reply) {
    FakeExchange exchange = new FakeExchange(reply);
    script.add(exchange);
    return exchange;
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Waits (up to {@code timeout}) until at least {@code count} requests arrived; returns them. */
  public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(
            () ->
                assertThat(requests.size())
                    .as("requests the fake provider received")
                    .isGreaterThanOrEqualTo(count));
    return List.copyOf(requests);
  }

  /** Replies still queued (not yet taken by a request). */
  public int pendingReplies() {
    return script.size();
  }

  public RecordedRequest lastRequest() {
    if (requests.isEmpty()) throw new AssertionError("the fake provider received no request");
    return requests.getLast();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) closeQuietly(s);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread.ofVirtual().name("fake-provider-conn").start(() -> serve(socket));
      } catch (IOException e) {
        if (!closed) System.err.println("fake provider: accept failed: " + e);
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      RecordedRequest request = readRequest(in);
      if (request == null) return;
      requests.add(request);
      OutputStream out = socket.getOutputStream();
      Optional<FakeReply.Status> refused = refusal.apply(request);
      if (refused.isPresent()) {
        writeStatus(out, refused.get()); // the scripted replies stay queued
        return;
      }
      FakeExchange exchange = script.poll();
      if (exchange == null) {
        writeStatus(
            out,
            new FakeReply.Status(
                500,
                Map.of("content-type", "text/plain"),
                "fake provider: no scripted reply for request "
                    + requests.size()
                    + " "
                    + request.target()));
        return;
      }
      exchange.request.complete(request);
      boolean early =
          switch (exchange.reply) {
            case FakeReply.Status s -> writeStatus(out, s);
            case FakeReply.Stream s -> writeStream(socket, in, out, s, exchange);
          };
      exchange.closedEarly.complete(early);
    } catch (IOException e) {
      // the client went away while the request was read: nothing to answer
    } finally {
      open.remove(socket);
    }
  }

  private static boolean writeStatus(OutputStream out, FakeReply.Status reply) {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder("HTTP/1.1 " + reply.status() + " " + reason(reply.status()) + "\r\n");
    reply.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("content-length: ").append(body.length).append("\r\nconnection: close\r\n\r\n");
    try {
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Streams the reply; returns true when the client closed the connection before its end. */
  private boolean writeStream(
      Socket socket,
      InputStream in,
      OutputStream out,
      FakeReply.Stream reply,
      FakeExchange exchange) {
    try {
      if (waitWatchingClient(socket, in, reply.firstByteDelay())) return true;
      String head =
          "HTTP/1.1 200 OK\r\ncontent-type: "
              + reply.contentType()
              + "\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      boolean first = true;
      for (byte[] write : reply.writes()) {
        if (!first && waitWatchingClient(socket, in, reply.chunkDelay())) return true;
        first = false;
        out.write(
            (Integer.toHexString(write.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(write);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      if (reply.held()) {
        while (!exchange.released.isDone()) {
          if (waitWatchingClient(socket, in, Duration.ofMillis(20))) return true;
          if (closed) return false;
        }
      }
      switch (reply.ending()) {
        case COMPLETE -> {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          return false;
        }
        case RESET -> {
          socket.setSoLinger(true, 0);
          socket.close();
          return false;
        }
        case STALL -> {
          return waitWatchingClient(socket, in, MAX_STALL);
        }
      }
      return false;
    } catch (IOException e) {
      return !closed;
    }
  }

  /**
   * Sleeps {@code delay} while reading the socket, so a client that hangs up is seen at once.
   * Returns true when the client closed the connection.
   */
  private boolean waitWatchingClient(Socket socket, InputStream in, Duration delay)
      throws IOException {
    long deadline = System.nanoTime() + delay.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
      try {
        if (in.read() < 0) return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        if (closed) throw e;
        return true;
      }
    }
  }

  private static RecordedRequest readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null || requestLine.isEmpty()) return null;
    String[] parts = requestLine.split(" ", -1);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0)
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
    }
    byte[] body;
    if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(readLine(in).trim(), 16);
          size > 0;
          size = Integer.parseInt(readLine(in).trim(), 16)) {
        all.writeBytes(in.readNBytes(size));
        readLine(in);
      }
      readLine(in);
      body = all.toByteArray();
    } else {
      body = new byte[0];
    }
    return new RecordedRequest(
        parts[0],
        parts.length > 1 ? parts[1] : "/",
        Map.copyOf(headers),
        new String(body, StandardCharsets.UTF_8),
        System.nanoTime());
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      if (b == '\n') break;
      if (b != '\r') line.write(b);
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 413 -> "Payload Too Large";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      case 529 -> "Overloaded";
      default -> "Status";
    };
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
