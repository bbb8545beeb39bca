package goose.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which Accept headers get a turn's event stream, and which the 202 answer (RFC 9110 12.5.1). */
class AcceptHeaderTest {
  @ParameterizedTest(name = "{0} -> stream {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "text/event-stream | true",
        "*/* | true",
        "text/* | true",
        "application/json | false",
        "text/event-stream;q=0, application/json | false",
        "*/*;q=0 | false",
        "text/event-stream;q=0, */* | false",
        "text/event-stream;q=0.5, */*;q=0 | true",
        "text/*;q=0, text/event-stream | true",
        "application/json, */*;q=0.1 | true",
        "TEXT/EVENT-STREAM ; Q=0 | false"
      })
  void theMostSpecificRangeDecidesAndQZeroRefuses(String accept, boolean stream) {
    assertThat(TurnRoutes.acceptsEventStream(accept)).isEqualTo(stream);
  }
}
