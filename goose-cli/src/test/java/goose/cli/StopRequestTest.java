package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A SIGTERM that comes while the server is still starting (it has printed where it listens, its
 * start has not returned) stops it once started, instead of finding no handler and exiting 143.
 */
class StopRequestTest {
  private final AtomicInteger closes = new AtomicInteger();
  private final StopRequest request = new StopRequest();

  @Test
  void aSignalDuringTheStartStopsTheServerAsSoonAsItIsStarted() {
    request.stop();
    assertThat(closes).hasValue(0);

    request.started(closes::incrementAndGet);

    assertThat(closes).as("closed by the started() call, before serving").hasValue(1);
  }

  @Test
  void aSignalAfterTheStartStopsTheServerAtOnce() {
    request.started(closes::incrementAndGet);
    assertThat(closes).hasValue(0);

    request.stop();

    assertThat(closes).hasValue(1);
  }

  @Test
  void noSignalNoStop() {
    request.started(closes::incrementAndGet);

    assertThat(closes).hasValue(0);
  }
}
