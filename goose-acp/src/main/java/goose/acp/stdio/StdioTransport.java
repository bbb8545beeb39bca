package goose.acp.stdio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import goose.acp.agent.AcpAgent;
import goose.acp.agent.AcpServices;
import goose.acp.rpc.RpcPeer;
import goose.acp.wire.AcpJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACP over stdio ({@code goose acp}): one JSON-RPC message per line in each direction, UTF-8, on
 * the process's stdin and stdout (nothing else may be written there: logs go to stderr). Runs until
 * stdin ends, then lets the connection go.
 */
public final class StdioTransport {
  private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);

  /** A line longer than this is refused (a parse error), not buffered without bound. */
  public static final int MAX_LINE_CHARS = 64 * 1024 * 1024;

  /** How long requests still being answered get once stdin ends (a prompt is cancelled after). */
  static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(5);

  private StdioTransport() {}

  /**
   * Serves one connection of {@code user} until {@code in} ends; {@code admin}: the user may manage
   * the server ({@link AcpAgent#connect}).
   */
  public static void serve(
      AcpServices services, String user, boolean admin, InputStream in, OutputStream out)
      throws IOException {
    ReentrantLock writeLock = new ReentrantLock(); // not a monitor: the write below blocks
    RpcPeer peer =
        AcpAgent.connect(
            services,
            user,
            admin,
            message -> {
              byte[] line = (AcpJson.write(message) + "\n").getBytes(StandardCharsets.UTF_8);
              writeLock.lock();
              try {
                out.write(line);
                out.flush();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                writeLock.unlock();
              }
            });
    try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      LineReader lines = new LineReader(reader, MAX_LINE_CHARS);
      for (Optional<LineReader.Line> next = lines.next(); next.isPresent(); next = lines.next()) {
        switch (next.get()) {
          case LineReader.Line.TooLong tooLong ->
              peer.unparsable(
                  "message of "
                      + tooLong.chars()
                      + " characters is longer than the limit of "
                      + MAX_LINE_CHARS);
          case LineReader.Line.Text text -> {
            if (!text.text().isBlank()) receive(peer, text.text());
          }
        }
      }
    } finally {
      log.debug("ACP stdio input ended");
      try {
        peer.drain(DRAIN);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      peer.close();
    }
  }

  private static void receive(RpcPeer peer, String line) {
    JsonNode message;
    try {
      message = AcpJson.parse(line);
    } catch (JsonProcessingException e) {
      peer.unparsable(e.getOriginalMessage());
      return;
    }
    peer.receive(message);
  }
}
