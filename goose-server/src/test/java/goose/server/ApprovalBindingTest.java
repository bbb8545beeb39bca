package goose.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.fake.FakeOpenAiServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An approval is for one call, exactly: on a real server whose model gives two different calls the
 * same id in one reply, across a real restart (a new server process on the same SQLite store), and
 * against a stored approval that does not match its call.
 */
@Timeout(120)
class ApprovalBindingTest {
  @TempDir Path root;
  FakeOpenAiServer openai;
  TestServer goosed;
  String sessionId;

  @BeforeEach
  void start() {
    openai = new FakeOpenAiServer();
    goosed = startServer();
    sessionId =
        goosed.client.post("/sessions", "{\"cwd\":\"" + root + "\"}").json().get("id").asText();
    goosed.client.patch("/sessions/" + sessionId, "{\"mode\":\"approve\"}").json();
  }

  @AfterEach
  void stop() {
    if (goosed != null) goosed.close();
    openai.close();
  }

  TestServer startServer() {
    return TestServer.start(root, TestServer.withProvider(openai));
  }

  /** The model asks for two different shell calls under the one id call_0, then says "finished". */
  void scriptTwoCallsWithOneId() {
    openai.enqueue(
        FakeOpenAiServer.script()
            .toolCall(0, "call_0", "developer__shell", "{\"command\":\"touch allowed-ran\"}")
            .toolCall(1, "call_0", "developer__shell", "{\"command\":\"touch denied-ran\"}")
            .build());
    openai.enqueue(FakeOpenAiServer.text("finished"));
  }

  /** Starts the turn and returns its two tool_approval_required events, then hangs up. */
  List<SseClient.Event> askedFor() throws Exception {
    List<SseClient.Event> asked = new ArrayList<>();
    List<SseClient.Event> seen = new ArrayList<>();
    try (SseClient sse =
        SseClient.post(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/messages",
            "{\"content\":\"run both\",\"on_disconnect\":\"continue\"}")) {
      while (asked.size() < 2)
        asked.add(ApprovalRoutesTest.until(sse, "tool_approval_required", seen));
    }
    return asked;
  }

  ApiClient.Response answer(String callId, String decision, String callHash) {
    return goosed.client.post(
        "/sessions/" + sessionId + "/tool-approvals/" + callId,
        "{\"decision\":\"" + decision + "\",\"call_hash\":\"" + callHash + "\"}");
  }

  static SseClient.Event withCommand(List<SseClient.Event> events, String command) {
    return events.stream()
        .filter(e -> e.data().at("/arguments/command").asText().equals(command))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no approval asked for " + command + ": " + events));
  }

  @Test
  void duplicateCallIdsGetTheirOwnApprovalsAndEachAnswerAppliesToItsCallAcrossARestart()
      throws Exception {
    scriptTwoCallsWithOneId();
    List<SseClient.Event> asked = askedFor();
    SseClient.Event allow = withCommand(asked, "touch allowed-ran");
    SseClient.Event deny = withCommand(asked, "touch denied-ran");
    String allowId = allow.data().get("id").asText();
    String denyId = deny.data().get("id").asText();
    assertThat(allowId).as("the first call keeps its id").isEqualTo("call_0");
    assertThat(denyId).as("the duplicate gets its own server-side id").isNotEqualTo(allowId);
    assertThat(allow.data().get("call_hash").asText())
        .hasSize(64)
        .isNotEqualTo(deny.data().get("call_hash").asText());

    goosed.close();
    goosed = startServer();

    JsonNode open =
        goosed.client.get("/sessions/" + sessionId + "/tool-approvals").json().get("approvals");
    assertThat(open).hasSize(2);
    assertThat(
            answer(allowId, "allow_once", deny.data().get("call_hash").asText())
                .error(409, "conflict"))
        .as("an answer carrying the hash of the other call it was shown")
        .contains("call_hash");
    try (SseClient again =
        SseClient.get(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/events",
            "Last-Event-ID",
            String.valueOf(Math.max(allow.id(), deny.id())))) {
      assertThat(answer(denyId, "deny", deny.data().get("call_hash").asText()).status())
          .isEqualTo(200);
      assertThat(answer(allowId, "allow_once", allow.data().get("call_hash").asText()).status())
          .isEqualTo(200);
      List<SseClient.Event> rest = again.untilComplete();
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(rest)
          .filteredOn(e -> e.name().equals("tool_result"))
          .extracting(e -> e.data().get("id").asText() + "=" + e.data().get("status").asText())
          .containsExactlyInAnyOrder(allowId + "=success", denyId + "=error");
    }
    assertThat(root.resolve("allowed-ran")).exists();
    assertThat(root.resolve("denied-ran")).doesNotExist();
    String sent = openai.lastRequest().json().get("messages").toString();
    assertThat(sent)
        .as("the model gets each result under the id of its own call")
        .contains("\"tool_call_id\":\"" + allowId + "\"")
        .contains("\"tool_call_id\":\"" + denyId + "\"");
  }

  @Test
  void aStoredDecisionForAnotherCallIsNotTakenAfterARestartTheCallIsAskedAgain() throws Exception {
    scriptTwoCallsWithOneId();
    List<SseClient.Event> asked = askedFor();
    String allowId = withCommand(asked, "touch allowed-ran").data().get("id").asText();
    SseClient.Event deny = withCommand(asked, "touch denied-ran");
    String denyId = deny.data().get("id").asText();
    goosed.close();

    // The store says the second call's id was answered allow_once, but for another call (another
    // hash): as an approval of an older version, or one made for a different call under that id.
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:sqlite:" + goosed.config.paths().sessionsDir().resolve("sessions.db"));
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE tool_approvals SET call_hash = ?, decision = 'allow_once' WHERE session_id = ? AND call_id = ?")) {
      update.setString(1, "0".repeat(64));
      update.setString(2, sessionId);
      update.setString(3, denyId);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }

    goosed = startServer();
    try (SseClient again =
        SseClient.get(
            goosed.server.uri(),
            "/sessions/" + sessionId + "/events",
            "Last-Event-ID",
            String.valueOf(Math.max(deny.id(), asked.get(0).id())))) {
      List<SseClient.Event> seen = new ArrayList<>();
      // Both calls of the resumed turn are asked again, in no promised order: the mismatched one is
      // among them (the other is the first call, whose approval was never answered).
      SseClient.Event reasked = ApprovalRoutesTest.until(again, "tool_approval_required", seen);
      if (!reasked.data().get("id").asText().equals(denyId)) {
        assertThat(reasked.data().get("id").asText()).isEqualTo(allowId);
        reasked = ApprovalRoutesTest.until(again, "tool_approval_required", seen);
      }
      assertThat(reasked.data().get("id").asText()).isEqualTo(denyId);
      assertThat(reasked.data().get("call_hash").asText())
          .isEqualTo(deny.data().get("call_hash").asText());
      assertThat(root.resolve("denied-ran"))
          .as("the mismatched allow_once ran nothing")
          .doesNotExist();
      assertThat(
              goosed
                  .client
                  .get("/sessions/" + sessionId + "/tool-approvals")
                  .json()
                  .get("approvals")
                  .findValuesAsText("id"))
          .containsExactlyInAnyOrder(allowId, denyId);
      answer(denyId, "deny", reasked.data().get("call_hash").asText()).json();
      answer(
              allowId,
              "allow_once",
              withCommand(asked, "touch allowed-ran").data().get("call_hash").asText())
          .json();
      List<SseClient.Event> rest = again.untilComplete();
      assertThat(rest.getLast().data().get("stop_reason").asText()).isEqualTo("end_turn");
    }
    assertThat(root.resolve("denied-ran")).doesNotExist();
    assertThat(root.resolve("allowed-ran")).exists();
  }
}
