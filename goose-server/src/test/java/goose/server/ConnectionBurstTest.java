package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A thousand clients connecting at the same moment are all served, none refused or reset. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionBurstTest {
  @TempDir Path root;

  @Test
  void aThousandSimultaneousConnectionsAllGetAnAnswer() throws Exception {
    int clients = 1000;
    try (TestServer goosed = TestServer.start(root)) {
      int port = goosed.server.uri().getPort();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> answers = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < clients; i++) {
          answers.add(
              pool.submit(
                  () -> {
                    go.await();
                    try (Socket s = new Socket()) {
                      s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                      s.setSoTimeout(60_000);
                      OutputStream out = s.getOutputStream();
                      out.write(
                          "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                      out.flush();
                      InputStream in = s.getInputStream();
                      return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                    }
                  }));
        }
        go.countDown();
        for (Future<String> a : answers) assertThat(a.get()).isEqualTo("HTTP/1.1 200");
      }
    }
  }
}
