package goose.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Text a client sends with half a surrogate pair is named, never stored changed. */
class LoneSurrogatesTest {

  @Test
  void aHalfPairIsNamedWithItsOffsetAndAWholePairOrOtherEscapesAreNot() {
    assertThat(LoneSurrogates.find("{\"t\":\"a\\ud800b\"}"))
        .hasValueSatisfying(
            m -> assertThat(m).startsWith("the escape \\ud800 at offset 7").contains("surrogate"));
    assertThat(LoneSurrogates.find("{\"t\":\"\\uDC00\"}")).isPresent(); // a low half alone
    assertThat(LoneSurrogates.find("{\"t\":\"\\ude00\\ud83d\"}")).isPresent(); // halves reversed
    assertThat(LoneSurrogates.find("{\"t\":\"\\ud83d\"}")).isPresent(); // at the very end

    assertThat(LoneSurrogates.find("{\"t\":\"\\ud83d\\ude00 \\u00e9 \\n \\\" ok\"}")).isEmpty();
    // An escaped backslash followed by "ud800" is text, not an escape.
    assertThat(LoneSurrogates.find("{\"t\":\"\\\\ud800\"}")).isEmpty();
    assertThat(LoneSurrogates.find("{\"t\":\"\\\\\\ud800\"}")).isPresent();
  }

  @Test
  void bytesAreScannedAtTheirByteOffsets() {
    byte[] body = "{\"t\":\"é\\udfff\"}".getBytes(StandardCharsets.UTF_8); // é is two bytes
    assertThat(LoneSurrogates.find(body))
        .hasValueSatisfying(m -> assertThat(m).contains("\\udfff at offset 8"));
    assertThat(LoneSurrogates.find("{\"t\":\"😀\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
