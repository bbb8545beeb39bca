package goose.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.conversation.Content;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a request body's problems are named: by JSON path, for people, never as a 500. */
class JsonBodyTest {
  record Parts(List<Content> parts, Optional<Integer> count) {}

  private static ApiException fails(String json, Class<?> type) {
    try {
      JsonBody.decode(json.getBytes(StandardCharsets.UTF_8), type);
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("accepted " + json);
  }

  @Test
  void aMissingFieldOfANestedRecordIsNamedByItsPath() {
    ApiException e =
        fails(
            "{\"parts\": [{\"type\": \"text\", \"text\": \"a\"}, {\"type\": \"image\", \"data\": \"AA==\"}]}",
            Parts.class);
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(e.getMessage()).isEqualTo("field 'parts[1].mime_type' is required");
  }

  @Test
  void anUnknownVariantNamesTheTypeField() {
    assertThat(fails("{\"parts\": [{\"type\": \"video\"}]}", Parts.class).getMessage())
        .startsWith("field 'parts[0].type' names an unknown or missing type")
        .contains("'video'");
  }

  @Test
  void theComponentsOfARecordLookedUpOnceStillNameEachRequestsMissingField() {
    // the record components are kept per class after the first request: later bodies of the same
    // types are still checked field by field, whichever field is missing
    assertThat(JsonBody.decode("{\"parts\": [], \"count\": 2}".getBytes(), Parts.class))
        .isEqualTo(new Parts(List.of(), Optional.of(2)));
    for (int i = 0; i < 3; i++) {
      assertThat(fails("{\"count\": 1}", Parts.class).getMessage())
          .isEqualTo("field 'parts' is required");
      assertThat(
              fails("{\"parts\": [{\"type\": \"image\", \"data\": \"AA==\"}]}", Parts.class)
                  .getMessage())
          .isEqualTo("field 'parts[0].mime_type' is required");
    }
  }

  @Test
  void aFractionWhereAWholeNumberGoesAndAKeyGivenTwiceAreRefused() {
    assertThat(fails("{\"parts\": [], \"count\": 5.9}", Parts.class).getMessage())
        .startsWith("field 'count'");
    ApiException twice = fails("{\"parts\": [], \"count\": 1, \"count\": 2}", Parts.class);
    assertThat(twice.code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(twice.getMessage()).contains("Duplicate field 'count'");
  }

  @Test
  void halfASurrogatePairIsRefusedAndAWholeOneKept() {
    ApiException lone =
        fails("{\"parts\": [{\"type\": \"text\", \"text\": \"a\\ud83d\"}]}", Parts.class);
    assertThat(lone.code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(lone.getMessage())
        .startsWith("malformed JSON: the escape \\ud83d at offset")
        .contains("surrogate");
    Parts pair =
        JsonBody.decode(
            "{\"parts\": [{\"type\": \"text\", \"text\": \"a\\ud83d\\ude00\"}]}".getBytes(),
            Parts.class);
    assertThat(pair.parts()).containsExactly(new Content.Text("a\ud83d\ude00"));
  }

  @Test
  void wrongTypesDeepInside() {
    assertThat(fails("{\"parts\": [], \"count\": \"3\"}", Parts.class).getMessage())
        .isEqualTo("field 'count' has the wrong type: expected an integer");
    assertThat(fails("{\"parts\": [{\"type\": \"text\", \"text\": 7}]}", Parts.class).getMessage())
        .isEqualTo("field 'parts[0].text' has the wrong type: expected a string");
    assertThat(fails("{\"parts\": {}}", Parts.class).getMessage())
        .isEqualTo("field 'parts' has the wrong type: expected an array");
  }

  @Test
  void missingTopLevelListAndInvalidUtf8() {
    assertThat(fails("{}", Parts.class).getMessage()).isEqualTo("field 'parts' is required");
    ApiException utf8 = fails("x", Parts.class);
    assertThat(utf8.code()).isEqualTo(ErrorCode.INVALID_JSON);
    byte[] bad = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    assertThatThrownBy(() -> JsonBody.decode(bad, Parts.class))
        .isInstanceOf(ApiException.class)
        .satisfies(ex -> assertThat(((ApiException) ex).code()).isEqualTo(ErrorCode.INVALID_JSON));
  }

  @Test
  void aValidBodyParses() {
    Parts p =
        JsonBody.decode(
            "{\"parts\": [{\"type\": \"text\", \"text\": \"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8),
            Parts.class);
    assertThat(p.parts()).containsExactly(new Content.Text("hi"));
    assertThat(p.count()).isEmpty();
  }
}
