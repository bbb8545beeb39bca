package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.conversation.TokenUsage;
import goose.event.TurnEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventWriterTest {
  static TurnEvent.MessageChunk text(String t, String message) {
    return new TurnEvent.MessageChunk("text", t, message);
  }

  @Test
  void mergesOnlyAdjacentChunksOfTheSameMessageAndKind() {
    TurnEvent.ToolCall call = new TurnEvent.ToolCall("c", "t", goose.json.Json.object(), "running");
    List<TurnEvent> merged =
        EventWriter.merge(
            List.of(
                text("a", "m1"),
                text("b", "m1"),
                new TurnEvent.MessageChunk("thinking", "hm", "m1"),
                text("c", "m1"),
                call,
                text("d", "m1"),
                text("e", "m2"),
                new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO)));

    assertThat(merged)
        .containsExactly(
            text("ab", "m1"),
            new TurnEvent.MessageChunk("thinking", "hm", "m1"),
            text("c", "m1"),
            call,
            text("d", "m1"),
            text("e", "m2"),
            new TurnEvent.MessageComplete("end_turn", TokenUsage.ZERO));
  }

  @Test
  void aMergedChunkStaysBounded() {
    String big = "x".repeat(EventWriter.MAX_MERGED_CHARS - 1);
    List<TurnEvent> merged =
        EventWriter.merge(List.of(text(big, "m"), text("yy", "m"), text("z", "m")));
    assertThat(merged).containsExactly(text(big, "m"), text("yyz", "m"));
  }
}
