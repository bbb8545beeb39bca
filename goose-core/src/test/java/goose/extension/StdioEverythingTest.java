package goose.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import goose.conversation.Content;
import goose.tool.ToolNotifications;
import goose.tool.ToolSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The reference "everything" server over stdio, through the ExtensionManager. */
@org.junit.jupiter.api.Timeout(120)
@ResourceLock(value = TestServers.EVERYTHING_PROCESSES, mode = ResourceAccessMode.READ)
class StdioEverythingTest {
  @TempDir static Path home;
  static ExtensionManager manager;

  @BeforeAll
  static void start() {
    manager = new ExtensionManager(TestServers.config(home), List.of());
    manager.addOrUpdate(TestServers.stdio("everything", TestServers.everythingJs(), "stdio"));
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void listsToolsPrefixedWithTheirSchemaVerbatimAndReadOnlyHint() {
    List<ToolSpec> tools = manager.tools(TestServers.context(home));
    ToolSpec echo =
        tools.stream().filter(t -> t.name().equals("everything__echo")).findFirst().orElseThrow();
    assertThat(echo.readOnly()).isTrue();
    assertThat(echo.inputSchema().at("/properties/message/type").asText()).isEqualTo("string");
    assertThat(echo.inputSchema().at("/properties/message/description").asText())
        .isEqualTo("Message to echo");
    assertThat(echo.inputSchema().has("$schema")).isTrue();
    assertThat(tools)
        .extracting(ToolSpec::name)
        .contains(
            "everything__get-sum",
            "everything__get-tiny-image",
            "everything__trigger-long-running-operation");
    assertThat(manager.get("everything").status()).isEqualTo(ExtensionStatus.RUNNING);
    assertThat(manager.get("everything").toolCount()).isEqualTo(manager.tools("everything").size());
  }

  @Test
  void callsEchoAndSum() {
    Content.ToolResponse echo =
        manager.call(
            TestServers.context(home),
            TestServers.request("everything__echo", "{\"message\":\"hi there\"}"));
    assertThat(echo.isError()).isFalse();
    assertThat(echo.text()).isEqualTo("Echo: hi there");
    Content.ToolResponse sum =
        manager.call(
            TestServers.context(home),
            TestServers.request("everything__get-sum", "{\"a\":2,\"b\":40}"));
    assertThat(sum.text()).contains("42");
  }

  @Test
  void theAnswerReachesTheCallsNotificationsOnTheReaderThreadBeforeTheCallReturns() {
    List<Content.ToolResponse> answered = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    // Whether the call had returned when the answer was handed over: never, if the reader thread
    // hands it over before it completes the caller's wait (a thread state sampled here instead
    // would race with the caller's way into its wait).
    AtomicBoolean callReturned = new AtomicBoolean();
    List<Boolean> returnedAtAnswer = new CopyOnWriteArrayList<>();
    ToolNotifications notifications =
        new ToolNotifications() {
          @Override
          public void notify(String source, String kind, JsonNode payload) {}

          @Override
          public void answered(Content.ToolResponse response) {
            answered.add(response);
            threads.add(Thread.currentThread().getName());
            returnedAtAnswer.add(callReturned.get());
          }
        };
    Content.ToolResponse echo =
        manager.call(
            TestServers.context(home, notifications),
            TestServers.request("everything__echo", "{\"message\":\"early\"}"));
    callReturned.set(true);

    assertThat(echo.text()).isEqualTo("Echo: early");
    assertThat(answered).containsExactly(echo);
    assertThat(answered.getFirst()).isSameAs(echo); // converted once, on the reader thread
    assertThat(threads).containsExactly("mcp-everything-stdout");
    // The answer came before the call returned.
    assertThat(returnedAtAnswer).containsExactly(false);
  }

  @Test
  void returnsImages() {
    Content.ToolResponse r =
        manager.call(
            TestServers.context(home), TestServers.request("everything__get-tiny-image", "{}"));
    assertThat(r.isError()).isFalse();
    assertThat(r.content())
        .anySatisfy(
            c -> {
              assertThat(c).isInstanceOf(Content.Image.class);
              assertThat(((Content.Image) c).mimeType()).isEqualTo("image/png");
              assertThat(((Content.Image) c).data()).startsWith("iVBORw0KGgo");
            });
  }

  @Test
  void returnsStructuredContent() {
    Content.ToolResponse r =
        manager.call(
            TestServers.context(home),
            TestServers.request(
                "everything__get-structured-content", "{\"location\":\"New York\"}"));
    assertThat(r.isError()).isFalse();
    assertThat(r.text()).contains("temperature");
  }

  @Test
  void forwardsProgressNotificationsOfTheCall() {
    List<JsonNode> progress = new CopyOnWriteArrayList<>();
    Content.ToolResponse r =
        manager.call(
            TestServers.context(
                home,
                (source, kind, payload) -> {
                  if (source.equals("everything") && kind.equals("progress")) progress.add(payload);
                }),
            TestServers.request(
                "everything__trigger-long-running-operation", "{\"duration\":1,\"steps\":4}"));
    assertThat(r.isError()).isFalse();
    assertThat(r.text()).contains("Long running operation completed");
    // The SDK delivers notifications on its own threads: the last one may land just after the
    // result (a busy machine delays it by seconds), and two may swap (seen at load 20: 1, 2, 4, 3).
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(progress).hasSize(4));
    assertThat(progress)
        .extracting(p -> p.get("progress").asDouble())
        .containsExactlyInAnyOrder(1.0, 2.0, 3.0, 4.0);
    assertThat(progress).extracting(p -> p.get("total").asDouble()).containsOnly(4.0);
  }

  @Test
  void concurrentCallsFromManySessionsShareOneServer() throws Exception {
    manager.tools("everything");
    long pid = manager.pid("everything").orElseThrow();
    List<Thread> threads = new java.util.ArrayList<>();
    List<String> answers = new CopyOnWriteArrayList<>();
    for (int t = 0; t < 8; t++) {
      int session = t;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 10; i++) {
                      var ctx = new goose.tool.ToolContext("u" + session, "s" + session, home);
                      answers.add(
                          manager
                              .call(
                                  ctx,
                                  TestServers.request(
                                      "everything__echo",
                                      "{\"message\":\"" + session + "-" + i + "\"}"))
                              .text());
                    }
                  }));
    }
    for (Thread t : threads) t.join();
    assertThat(answers)
        .hasSize(80)
        .contains("Echo: 0-0", "Echo: 7-9")
        .allMatch(a -> a.startsWith("Echo: "));
    assertThat(manager.pid("everything").orElseThrow()).isEqualTo(pid);
  }

  @Test
  void invalidArgumentsComeBackAsAToolError() {
    Content.ToolResponse r =
        manager.call(
            TestServers.context(home),
            TestServers.request("everything__get-sum", "{\"a\":\"two\"}"));
    assertThat(r.isError()).isTrue();
  }

  @Test
  void unknownToolIsAnErrorNotAnException() {
    assertThat(
            manager
                .call(TestServers.context(home), TestServers.request("everything__nope", "{}"))
                .isError())
        .isTrue();
    assertThat(
            manager
                .call(TestServers.context(home), TestServers.request("nobody__echo", "{}"))
                .isError())
        .isTrue();
    assertThat(manager.call(TestServers.context(home), TestServers.request("echo", "{}")).isError())
        .isTrue();
  }
}
