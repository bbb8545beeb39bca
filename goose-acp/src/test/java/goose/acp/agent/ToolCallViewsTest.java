package goose.acp.agent;

import static org.assertj.core.api.Assertions.assertThat;

import goose.acp.wire.PlanEntry;
import goose.acp.wire.ToolCallContent;
import goose.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolCallViewsTest {
  @Test
  void aTodoListBecomesAPlan() {
    var args =
        Json.object()
            .put(
                "content",
                "# Tasks\n- [x] read\n- [ ] write tests\n* [~] refactor\n- [ ]   \nnotes");
    assertThat(ToolCallViews.plan("todo__todo_write", args))
        .contains(
            List.of(
                new PlanEntry("read", "medium", "completed"),
                new PlanEntry("write tests", "medium", "pending"),
                new PlanEntry("refactor", "medium", "in_progress")));
    assertThat(ToolCallViews.plan("developer__shell", args)).isEmpty();
  }

  @Test
  void textEditorEditsBecomeDiffs() {
    var replace =
        Json.object()
            .put("command", "str_replace")
            .put("path", "/w/a.txt")
            .put("old_str", "two")
            .put("new_str", "three");
    assertThat(ToolCallViews.diff("developer__text_editor", replace))
        .contains(new ToolCallContent.Diff("/w/a.txt", Optional.of("two"), "three"));
    var write =
        Json.object().put("command", "write").put("path", "/w/b.txt").put("file_text", "new\n");
    assertThat(ToolCallViews.diff("developer__text_editor", write))
        .contains(new ToolCallContent.Diff("/w/b.txt", Optional.empty(), "new\n"));
    var view = Json.object().put("command", "view").put("path", "/w/b.txt");
    assertThat(ToolCallViews.diff("developer__text_editor", view)).isEmpty();
    assertThat(ToolCallViews.kind("developer__text_editor", view)).isEqualTo("read");
    assertThat(ToolCallViews.kind("developer__text_editor", write)).isEqualTo("edit");
    assertThat(ToolCallViews.kind("developer__shell", write)).isEqualTo("execute");
  }

  @Test
  void titlesNameWhatACallDoes() {
    assertThat(ToolCallViews.title("developer__shell", Json.object().put("command", "ls -la")))
        .isEqualTo("shell · ls -la");
    assertThat(ToolCallViews.title("fs__read_text_file", Json.object()))
        .isEqualTo("fs: read text file");
    assertThat(
            ToolCallViews.title("developer__shell", Json.object().put("command", "x".repeat(500))))
        .hasSize(120);
  }
}
