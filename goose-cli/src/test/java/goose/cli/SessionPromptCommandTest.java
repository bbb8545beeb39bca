package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.config.Config;
import goose.conversation.Message;
import goose.conversation.TokenUsage;
import goose.json.Json;
import goose.session.NewSession;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code goose session prompt ID}: the next call's body as the configured provider sends it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionPromptCommandTest {
  @TempDir Path root;

  @Test
  void printsTheAnthropicBodyOfTheNextCallWithoutSendingIt() throws Exception {
    Path work = Files.createDirectories(root.resolve("work"));
    String id;
    try (SessionStore store = openStore()) {
      Session s = store.create(new NewSession("local", "debug me", work));
      store.appendMessage(s.id(), Message.user("What is in this directory?"));
      store.appendMessage(
          s.id(),
          Message.assistant(
              List.of(new goose.conversation.Content.Text("Two files.")), TokenUsage.ZERO));
      id = s.id();
    }

    CliRun.Result r = cli().run("session", "prompt", id, "--message", "And their sizes?");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("anthropic claude-opus-4-1", "max_tokens 32000", "prompt caching on");
    JsonNode body = Json.parse(r.out());
    assertThat(body.path("max_tokens").asInt()).isEqualTo(32_000);
    assertThat(body.path("system").get(0).path("text").asText()).contains("## developer");
    assertThat(body.path("tools").findValuesAsText("name")).contains("developer__shell");
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(2).path("content").get(0).path("text").asText())
        .isEqualTo("And their sizes?");
    assertThat(messages.get(2).path("content").get(1).path("text").asText())
        .startsWith("<turn-context>");
    assertThat(messages.get(0).path("content").get(1).path("text").asText())
        .startsWith("<turn-context>");
  }

  @Test
  void usesTheModelTheSessionChose() throws Exception {
    Path work = Files.createDirectories(root.resolve("work"));
    String id;
    try (SessionStore store = openStore()) {
      Session s = store.create(new NewSession("local", "mine", work));
      store.setModel("local", s.id(), Optional.empty(), Optional.of("claude-sonnet-4-5"));
      id = s.id();
    }

    CliRun.Result r = cli().run("session", "prompt", id, "--message", "hi");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("anthropic claude-sonnet-4-5", "max_tokens 64000");
    assertThat(Json.parse(r.out()).path("model").asText()).isEqualTo("claude-sonnet-4-5");
  }

  private Path pathRoot() {
    return root.resolve("goose");
  }

  private SessionStore openStore() {
    return SessionStores.open(Config.load(Map.of("GOOSE_PATH_ROOT", pathRoot().toString()), root));
  }

  /** The CLI on that store, configured for Anthropic at an address where nothing listens. */
  private CliRun cli() {
    return new CliRun(root.resolve("home"))
        .env("GOOSE_PATH_ROOT", pathRoot().toString())
        .env("GOOSE_PROVIDER", "anthropic")
        .env("ANTHROPIC_API_KEY", "sk-never-used")
        .env("ANTHROPIC_HOST", "http://127.0.0.1:9") // nothing listens: nothing may be sent
        .env("GOOSE_MODEL", "claude-opus-4-1");
  }
}
