package goose.builtins;

import static goose.builtins.Calls.call;
import static goose.builtins.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import goose.builtins.developer.DeveloperExtension;
import goose.conversation.Content;
import goose.tool.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEditorToolTest {
  @TempDir Path work;
  final DeveloperExtension developer = new DeveloperExtension(Calls.unconfined());

  private Content.ToolResponse edit(Object... kv) {
    ToolContext ctx = Calls.context("alice", "s1", work);
    return call(developer, ctx, "text_editor", json(kv));
  }

  @Test
  void writeThenViewWithAndWithoutARange() throws Exception {
    assertThat(
            edit("command", "write", "path", "notes/a.txt", "file_text", "one\ntwo\nthree\nfour\n")
                .isError())
        .isFalse();
    assertThat(Files.readString(work.resolve("notes/a.txt"))).isEqualTo("one\ntwo\nthree\nfour\n");
    assertThat(edit("command", "view", "path", "notes/a.txt").text())
        .isEqualTo("1: one\n2: two\n3: three\n4: four\n");
    assertThat(edit("command", "view", "path", "notes/a.txt", "view_range", List.of(2, 3)).text())
        .isEqualTo("2: two\n3: three\n");
    assertThat(
            edit(
                    "command",
                    "view",
                    "path",
                    work.resolve("notes/a.txt").toString(),
                    "view_range",
                    List.of(3, -1))
                .text())
        .isEqualTo("3: three\n4: four\n");
    Content.ToolResponse outside =
        edit("command", "view", "path", "notes/a.txt", "view_range", List.of(3, 9));
    assertThat(outside.isError()).isTrue();
    assertThat(outside.text()).contains("outside the file's 4 lines");
    assertThat(edit("command", "view", "path", "notes").text()).contains("a.txt");
  }

  @Test
  void strReplaceNeedsExactlyOneMatch() throws Exception {
    Files.writeString(work.resolve("f.txt"), "alpha beta\nbeta gamma\n");
    Content.ToolResponse twice =
        edit("command", "str_replace", "path", "f.txt", "old_str", "beta", "new_str", "B");
    assertThat(twice.isError()).isTrue();
    assertThat(twice.text()).contains("occurs 2 times");
    Content.ToolResponse none =
        edit("command", "str_replace", "path", "f.txt", "old_str", "delta", "new_str", "D");
    assertThat(none.isError()).isTrue();
    assertThat(none.text()).contains("not found");
    assertThat(Files.readString(work.resolve("f.txt"))).isEqualTo("alpha beta\nbeta gamma\n");
    assertThat(
            edit(
                    "command",
                    "str_replace",
                    "path",
                    "f.txt",
                    "old_str",
                    "beta gamma",
                    "new_str",
                    "BG")
                .isError())
        .isFalse();
    assertThat(Files.readString(work.resolve("f.txt"))).isEqualTo("alpha beta\nBG\n");
  }

  @Test
  void insertAfterALineAndAtTheTop() throws Exception {
    Files.writeString(work.resolve("f.txt"), "a\nc\n");
    assertThat(
            edit("command", "insert", "path", "f.txt", "insert_line", 1, "new_str", "b").isError())
        .isFalse();
    assertThat(Files.readString(work.resolve("f.txt"))).isEqualTo("a\nb\nc\n");
    edit("command", "insert", "path", "f.txt", "insert_line", 0, "new_str", "top");
    assertThat(Files.readString(work.resolve("f.txt"))).isEqualTo("top\na\nb\nc\n");
    assertThat(edit("command", "insert", "path", "f.txt", "insert_line", 99, "new_str", "x").text())
        .contains("between 0 and 4");
  }

  @Test
  void undoRevertsEditsInOrderAndRemovesCreatedFiles() throws Exception {
    edit("command", "write", "path", "new.txt", "file_text", "v1\n");
    edit("command", "str_replace", "path", "new.txt", "old_str", "v1", "new_str", "v2");
    assertThat(Files.readString(work.resolve("new.txt"))).isEqualTo("v2\n");
    assertThat(edit("command", "undo_edit", "path", "new.txt").isError()).isFalse();
    assertThat(Files.readString(work.resolve("new.txt"))).isEqualTo("v1\n");
    edit("command", "undo_edit", "path", "new.txt");
    assertThat(work.resolve("new.txt")).doesNotExist();
    assertThat(edit("command", "undo_edit", "path", "new.txt").text()).contains("no edit");
  }

  @Test
  void errorsAreClear() {
    assertThat(edit("command", "view", "path", "missing.txt").text()).contains("does not exist");
    assertThat(edit("command", "fold", "path", "x").text()).contains("unknown command 'fold'");
    assertThat(edit("command", "view").text()).contains("'path'");
  }
}
