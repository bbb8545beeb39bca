package goose.builtins;

import static goose.builtins.Calls.call;
import static goose.builtins.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import goose.builtins.memory.MemoryExtension;
import goose.builtins.todo.TodoExtension;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.tool.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memory and todo on a real session store (SQLite), where they keep their data. */
class MemoryAndTodoTest {
  @TempDir Path data;
  @TempDir Path project;
  @TempDir Path otherProject;
  SessionStore store;

  @BeforeEach
  void open() {
    store = SessionStores.openSqlite(data.resolve("sessions.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  MemoryExtension memory() {
    return new MemoryExtension(SessionStores.memories(store));
  }

  TodoExtension todo() {
    return new TodoExtension(SessionStores.todos(store));
  }

  @Test
  void memoriesAreRememberedRetrievedByCategoryAndTagAndRemoved() {
    MemoryExtension memory = memory();
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
    ToolContext aliceElsewhere = Calls.context("alice", "s3", otherProject);
    assertThat(call(memory, aliceElsewhere, "retrieve_memories", json("category", "*")).text())
        .as("local memories belong to their working directory")
        .isEqualTo("no memories found");
    assertThat(
            call(
                    memory,
                    aliceElsewhere,
                    "retrieve_memories",
                    json("category", "*", "is_global", true))
                .text())
        .as("global ones follow the user")
        .contains("likes tabs");
    assertThat(project.resolve(".goose")).doesNotExist();

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
  void badCategoriesAreRefusedAndNothingIsWrittenOutsideTheStore() throws Exception {
    MemoryExtension memory = memory();
    ToolContext sneaky = Calls.context("../../etc", "s1", project);
    assertThat(
            call(memory, sneaky, "remember_memory", json("category", "../x", "data", "d"))
                .isError())
        .isTrue();
    call(memory, sneaky, "remember_memory", json("category", "ok", "data", "d", "is_global", true));
    assertThat(
            call(memory, sneaky, "retrieve_memories", json("category", "ok", "is_global", true))
                .text())
        .contains("d");
    try (var files = Files.walk(data)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
          .allSatisfy(name -> assertThat(name).startsWith("sessions.db"));
    }
  }

  @Test
  void todoListsArePerSessionAndSurviveARestart() {
    TodoExtension todo = todo();
    ToolContext s1 = Calls.context("alice", "s1", project);
    ToolContext s2 = Calls.context("alice", "s2", project);
    assertThat(call(todo, s1, "todo_read", "{}").text()).isEqualTo("the todo list is empty");
    assertThat(
            call(todo, s1, "todo_write", json("content", "- [ ] write tests\n- [x] read spec\n"))
                .text())
        .contains("1 open items");
    assertThat(call(todo, s2, "todo_read", "{}").text()).isEqualTo("the todo list is empty");
    store.close(); // a restart: the list is in the store
    store = SessionStores.openSqlite(data.resolve("sessions.db"));
    assertThat(call(todo(), s1, "todo_read", "{}").text())
        .isEqualTo("- [ ] write tests\n- [x] read spec\n");
    assertThat(call(todo, s1, "todo_write", json("content", "x".repeat(50_001))).isError())
        .isTrue();
  }
}
