package goose.server;

import goose.config.Config;
import java.net.URI;

/**
 * The running HTTP server. {@code goose server} and {@code bin/goosed} call {@link #start}; tests start
 * one on port 0 (random) and read {@link #port()}.
 *
 * <p>STUB: the signatures are the contract between goose-cli and goose-server; the body is being built.
 */
public final class GooseServer implements AutoCloseable {
  private final int port;
  private final String host;

  private GooseServer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Starts serving with this configuration; throws {@link goose.config.ConfigException} on bad settings. */
  public static GooseServer start(Config config) {
    throw new UnsupportedOperationException("not built yet");
  }

  public int port() {
    return port;
  }

  public URI uri() {
    return URI.create("http://" + host + ":" + port);
  }

  /** Blocks until the server has stopped (SIGTERM, {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Graceful stop: in-flight requests finish or are cut cleanly within a few seconds. */
  @Override
  public void close() {}

  /** The OpenAPI 3.1 document this server serves at /openapi.json, pretty-printed. */
  public static String openApiJson() {
    throw new UnsupportedOperationException("not built yet");
  }
}
