package goose.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.conversation.TokenUsage;
import goose.json.Json;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  /**
   * One sample of every event kind; {@link #samplesCoverEveryKind} fails when a new kind is added
   * without one.
   */
  static List<TurnEvent> samples() {
    return List.of(
        new TurnEvent.MessageChunk("text", "Hello, wörld ✓", "m-1"),
        new TurnEvent.MessageChunk("thinking", "let me think", "m-1"),
        new TurnEvent.ToolCall(
            "call-1",
            "developer__shell",
            (ObjectNode) Json.parse("{\"command\":\"ls -la\",\"env\":{\"A\":[1,2.5,null,true]}}"),
            "running"),
        new TurnEvent.ToolResult(
            "call-1",
            "developer__shell",
            "success",
            Json.parse("[{\"type\":\"text\",\"text\":\"total 0\"}]")),
        new TurnEvent.ToolResult("call-2", "developer__shell", "error", Json.parse("\"exit 1\"")),
        new TurnEvent.Notification(
            "developer", "progress", Json.parse("{\"progress\":3,\"total\":10}")),
        new TurnEvent.ToolApprovalRequired(
            "call-3",
            "developer__shell",
            (ObjectNode) Json.parse("{\"command\":\"rm -rf build\"}")),
        new TurnEvent.Error("provider_error", "429 Too Many Requests"),
        new TurnEvent.ModelUsage(
            "m-1",
            "max_tokens",
            new TokenUsage(21_000, 345, 19_800, 1_100),
            OptionalDouble.of(0.02)),
        new TurnEvent.SessionRenamed("Flaky login test"),
        new TurnEvent.MessageComplete("end_turn", new TokenUsage(1200, 345)),
        new TurnEvent.MessageComplete(
            "end_turn", new TokenUsage(1200, 345, 1000, 0), OptionalDouble.of(0.0123)));
  }

  @Test
  void samplesCoverEveryKind() {
    List<Class<?>> sampled = samples().stream().<Class<?>>map(Object::getClass).distinct().toList();
    assertThat(sampled).containsExactlyInAnyOrder(TurnEvent.class.getPermittedSubclasses());
  }

  @Test
  void everyKindRoundTripsThroughItsNameAndJsonText() {
    for (TurnEvent event : samples()) {
      String name = EventCodec.eventName(event);
      assertThat(name).isEqualTo(event.eventName());
      // Through text, as the store and an SSE client see it.
      assertThat(EventCodec.toJsonText(event)).isEqualTo(Json.write(EventCodec.toJson(event)));
      JsonNode data = Json.parse(EventCodec.toJsonText(event));
      assertThat(EventCodec.fromJson(name, data)).as(name).isEqualTo(event);
    }
  }

  @Test
  void messageChunkJsonIsTheDocumentedWireShape() {
    JsonNode json = EventCodec.toJson(new TurnEvent.MessageChunk("text", "Hi", "m-7"));
    assertThat(Json.write(json))
        .isEqualTo(
            "{\"event\":\"message_chunk\",\"type\":\"text\",\"text\":\"Hi\",\"message_id\":\"m-7\"}");
  }

  @Test
  void everyEventCarriesItsNameAsTheEventProperty() {
    for (TurnEvent event : samples()) {
      assertThat(EventCodec.toJson(event).path("event").asText())
          .as(event.getClass().getSimpleName())
          .isEqualTo(event.eventName());
    }
    assertThat(new TurnEvent.Error("provider_error", "boom").eventName()).isEqualTo("turn_error");
    assertThat(EventCodec.eventNames())
        .containsExactly(
            "message_chunk",
            "tool_call",
            "tool_result",
            "notification",
            "tool_approval_required",
            "turn_error",
            "usage",
            "session_renamed",
            "message_complete");
  }

  @Test
  void eventsStoredByEarlierBuildsStillRead() {
    // Before turn_error: the name was "error" and no data carried an event property.
    assertThat(
            EventCodec.fromJson(
                "error", Json.parse("{\"code\":\"provider_error\",\"message\":\"boom\"}")))
        .isEqualTo(new TurnEvent.Error("provider_error", "boom"));
    assertThat(
            EventCodec.fromJson(
                "tool_call",
                Json.parse(
                    "{\"id\":\"c\",\"tool\":\"t\",\"arguments\":{},\"status\":\"running\"}")))
        .isEqualTo(new TurnEvent.ToolCall("c", "t", Json.object(), "running"));
    assertThat(EventCodec.eventNames()).doesNotContain("error");
  }

  @Test
  void anEventPropertyNamingAnotherKindIsRejected() {
    JsonNode call = EventCodec.toJson(samples().get(2));
    assertThatThrownBy(() -> EventCodec.fromJson("tool_approval_required", call))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad data for event tool_approval_required");
  }

  @Test
  void toolCallAndCompleteUseSnakeCaseFields() {
    JsonNode call = EventCodec.toJson(samples().get(2));
    assertThat(call.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("event", "id", "tool", "arguments", "status");
    JsonNode complete =
        EventCodec.toJson(new TurnEvent.MessageComplete("cancelled", new TokenUsage(1, 2)));
    assertThat(Json.write(complete))
        .isEqualTo(
            "{\"event\":\"message_complete\",\"stop_reason\":\"cancelled\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2,"
                + "\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0}}");
    JsonNode priced =
        EventCodec.toJson(
            new TurnEvent.ModelUsage(
                "m", "end_turn", new TokenUsage(10, 2, 8, 1), OptionalDouble.of(0.5)));
    assertThat(Json.write(priced))
        .isEqualTo(
            "{\"event\":\"usage\",\"message_id\":\"m\",\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":10,"
                + "\"output_tokens\":2,\"cache_read_input_tokens\":8,\"cache_creation_input_tokens\":1},\"cost_usd\":0.5}");
  }

  @Test
  void usageStoredBeforePromptCachingReadsWithZeroCacheCounts() {
    JsonNode old =
        Json.parse(
            "{\"event\":\"message_complete\",\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":7,\"output_tokens\":3}}");
    assertThat(EventCodec.fromJson("message_complete", old))
        .isEqualTo(new TurnEvent.MessageComplete("end_turn", new TokenUsage(7, 3, 0, 0)));
  }

  @Test
  void eventNamesAreDistinct() {
    List<String> names = samples().stream().map(EventCodec::eventName).distinct().toList();
    assertThat(names).hasSize(TurnEvent.class.getPermittedSubclasses().length);
  }

  @Test
  void unknownNameIsRejected() {
    assertThatThrownBy(() -> EventCodec.fromJson("message_chunkz", Json.object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown event name: message_chunkz");
  }

  @Test
  void dataThatDoesNotFitTheEventIsRejectedWithItsName() {
    assertThatThrownBy(
            () -> EventCodec.fromJson("message_chunk", Json.parse("{\"type\":\"text\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad data for event message_chunk");
    assertThatThrownBy(
            () ->
                EventCodec.fromJson(
                    "message_complete",
                    Json.parse(
                        "{\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":\"many\"}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad data for event message_complete");
    assertThatThrownBy(() -> EventCodec.fromJson("turn_error", Json.parse("[1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a JSON object");
  }
}
