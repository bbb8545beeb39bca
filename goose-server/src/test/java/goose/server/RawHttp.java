package goose.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: for requests no well-behaved client would
 * send (raw invalid UTF-8 in the target, NUL in headers, absurd sizes). The response is read to its
 * end ({@code Connection: close}); an event stream is only opened, then hung up on. A response that
 * does not arrive within the timeout is reported as a hang.
 */
final class RawHttp {
  // Raw bytes to send, never compared or used as a key: array identity in equals() does not matter.
  @SuppressWarnings("ArrayRecordComponent")
  record Request(String method, byte[] target, List<String[]> headers, byte[] body) {}

  record Response(
      int status, Map<String, String> headers, String body, boolean hung, boolean stream) {}

  private RawHttp() {}

  /**
   * Sends to 127.0.0.1:port with {@code Host: 127.0.0.1:port}, unless the request names its own
   * {@code Host}.
   */
  static Response send(int port, Request request, int timeoutMillis) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(bytes(request, "127.0.0.1:" + port));
        out.flush();
      } catch (IOException serverClosedEarly) {
        // the server may answer (413, 431) and close before reading everything; read what it said
      }
      // Buffered: the status line and headers are read a byte at a time, and a socket read is a
      // system call (a tenth of the fuzz test's client-side CPU went there).
      InputStream in = new BufferedInputStream(socket.getInputStream());
      try {
        return read(in);
      } catch (SocketTimeoutException e) {
        return new Response(-1, Map.of(), "", true, false);
      }
    }
  }

  /** The same over a Unix domain socket ({@code Host: localhost} unless the request names one). */
  static Response sendUnix(java.nio.file.Path socket, Request request, int timeoutMillis)
      throws IOException {
    try (java.nio.channels.SocketChannel channel =
        java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
      channel.write(java.nio.ByteBuffer.wrap(bytes(request, "localhost")));
      InputStream in = new BufferedInputStream(java.nio.channels.Channels.newInputStream(channel));
      var reader =
          java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor().submit(() -> read(in));
      try {
        return reader.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return new Response(-1, Map.of(), "", true, false);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      } finally {
        reader.cancel(true);
      }
    }
  }

  private static byte[] bytes(Request request, String defaultHost) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write((request.method() + " ").getBytes(StandardCharsets.ISO_8859_1));
    head.write(request.target());
    head.write(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (request.headers().stream().noneMatch(h -> h[0].equalsIgnoreCase("Host")))
      head.write(("Host: " + defaultHost + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    head.write("Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1));
    for (String[] h : request.headers())
      head.write((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    if (request.body() != null)
      head.write(
          ("Content-Length: " + request.body().length + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
    head.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (request.body() != null) head.write(request.body());
    return head.toByteArray();
  }

  private static Response read(InputStream in) throws IOException {
    int status;
    Map<String, String> headers = new LinkedHashMap<>();
    do { // an interim 100 Continue is followed by the real response
      String statusLine = line(in);
      if (statusLine == null) return new Response(0, Map.of(), "", false, false);
      status = Integer.parseInt(statusLine.split(" ", -1)[1]);
      headers.clear();
      for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
        int colon = l.indexOf(':');
        if (colon > 0)
          headers.put(
              l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
    } while (status == 100);
    if (headers.getOrDefault("content-type", "").startsWith("text/event-stream"))
      return new Response(status, headers, "", false, true);
    byte[] raw = in.readAllBytes();
    byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(raw) : raw;
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8), false, false);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') return b.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] dechunk(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length) {
      int eol = indexOf(raw, i);
      if (eol < 0) break;
      String sizeText =
          new String(raw, i, eol - i, StandardCharsets.ISO_8859_1).split(";", -1)[0].trim();
      int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
      if (size == 0) break;
      out.write(raw, eol + 2, Math.min(size, raw.length - eol - 2));
      i = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) if (raw[i] == '\r' && raw[i + 1] == '\n') return i;
    return -1;
  }
}
