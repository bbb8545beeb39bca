package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web UI's own SSE parser (goose-server/src/main/ui/sse.js), tested in Node by
 * testing/web-ui/sse.test.mjs: every kind of line ending, reads split anywhere (inside a UTF-8
 * character, between CR and LF), multi-line data, comments. Needs Node.js only, no browser.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WebUiSseParserTest {
  @Test
  void theParserFollowsTheEventStreamFormat() throws IOException, InterruptedException {
    Process node =
        new ProcessBuilder("node", "sse.test.mjs")
            .directory(WebUiBrowserTest.SCRIPTS.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output).contains("# pass 5").contains("# fail 0");
  }
}
