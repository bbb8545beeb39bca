package goose.builtins;

import static goose.builtins.Calls.call;
import static goose.builtins.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import goose.builtins.memory.MemoryExtension;
import goose.builtins.todo.TodoExtension;
import goose.tool.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryAndTodoTest {
  @TempDir Path data;
  @TempDir Path project;

  @Test
  void memoriesAreRememberedRetrievedByCategoryAndTagAndRemoved() {
    MemoryExtension memory = new MemoryExtension(data);
    ToolContext alice = Calls.context("alice", "s1", project);
    assertThat(
            call(
                    memory,
                    alice,
                    "remember_memory",
                    json(
                        "category",
                        "prefs",
                        "data",
                        "likes tabs",
                        "tags",
                        List.of("style"),
                        "is_global",
                        true))
                .isError())
        .isFalse();
    call(
        memory,
        alice,
        "remember_memory",
        json("category", "prefs", "data", "uses vim", "tags", List.of("tools"), "is_global", true));
    call(
        memory,
        alice,
        "remember_memory",
        json("category", "build", "data", "run mvn -o", "is_global", false));

    assertThat(
            call(memory, alice, "retrieve_memories", json("category", "prefs", "is_global", true))
                .text())
        .contains("likes tabs")
        .contains("uses vim");
    assertThat(
            call(
                    memory,
                    alice,
                    "retrieve_memories",
                    json("category", "prefs", "tag", "style", "is_global", true))
                .text())
        .contains("likes tabs")
        .doesNotContain("vim");
    assertThat(call(memory, alice, "retrieve_memories", json("category", "*")).text())
        .contains("run mvn -o")
        .doesNotContain("tabs");
    assertThat(project.resolve(".goose/memory/build.txt")).exists();
    assertThat(data.resolve("memory/users/alice/prefs.txt")).exists();

    ToolContext bob = Calls.context("bob", "s2", project);
    assertThat(
            call(memory, bob, "retrieve_memories", json("category", "*", "is_global", true)).text())
        .isEqualTo("no memories found");

    assertThat(
            call(
                    memory,
                    alice,
                    "remove_specific_memory",
                    json("category", "prefs", "memory_content", "vim", "is_global", true))
                .text())
        .contains("removed 1");
    assertThat(
            call(memory, alice, "retrieve_memories", json("category", "prefs", "is_global", true))
                .text())
        .doesNotContain("vim")
        .contains("tabs");
    call(memory, alice, "remove_memory_category", json("category", "*", "is_global", true));
    assertThat(
            call(memory, alice, "retrieve_memories", json("category", "prefs", "is_global", true))
                .text())
        .isEqualTo("no memories found");
  }

  @Test
  void categoriesAndUserIdsCannotEscapeTheStore() {
    MemoryExtension memory = new MemoryExtension(data);
    ToolContext sneaky = Calls.context("../../etc", "s1", project);
    assertThat(
            call(memory, sneaky, "remember_memory", json("category", "../x", "data", "d"))
                .isError())
        .isTrue();
    call(memory, sneaky, "remember_memory", json("category", "ok", "data", "d", "is_global", true));
    try (var files = Files.walk(data)) {
      assertThat(files.filter(Files::isRegularFile).toList())
          .allSatisfy(f -> assertThat(f.startsWith(data.resolve("memory/users"))).isTrue());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void todoListsArePerSessionAndSurviveARestart() {
    TodoExtension todo = new TodoExtension(data);
    ToolContext s1 = Calls.context("alice", "s1", project);
    ToolContext s2 = Calls.context("alice", "s2", project);
    assertThat(call(todo, s1, "todo_read", "{}").text()).isEqualTo("the todo list is empty");
    assertThat(
            call(todo, s1, "todo_write", json("content", "- [ ] write tests\n- [x] read spec\n"))
                .text())
        .contains("1 open items");
    assertThat(call(todo, s2, "todo_read", "{}").text()).isEqualTo("the todo list is empty");
    assertThat(call(new TodoExtension(data), s1, "todo_read", "{}").text())
        .isEqualTo("- [ ] write tests\n- [x] read spec\n");
    assertThat(call(todo, s1, "todo_write", json("content", "x".repeat(50_001))).isError())
        .isTrue();
  }
}
