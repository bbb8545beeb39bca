package goose.clients;

import static org.assertj.core.api.Assertions.assertThat;

import goose.json.Json;
import goose.provider.fake.FakeOpenAiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TypeScript client generated from the committed openapi.json: openapi-typescript writes the
 * types, src/test/typescript/scenario.ts calls the server through openapi-fetch with them, tsc
 * compiles it strictly (a switch over the turn events must cover exactly the union's variants), and
 * node runs it against the real server: create, a streamed turn, a 202 turn followed through the
 * event log, a provider failure as turn_error, list, get, rename, errors as the JSON error type,
 * delete.
 */
// Three node runs (openapi-typescript, tsc, the scenario). tsc took 10-50 s of CPU while it also
// checked the toolchain's own declarations (TypeScript's lib, @types/node); the generated types are
// now a .ts source, checked, and skipLibCheck skips only those (13 s -> 3.6 s of CPU). At a load of
// 20 beside the other modules' tests the whole once took more than the default 120 s. Each run
// still has its own deadline (Fixture).
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GeneratedTypeScriptClientTest {
  static final Path SOURCES = Path.of("src/test/typescript");

  @Test
  void generatesCompilesAndRunsASessionScenario(@TempDir Path root) throws Exception {
    Path project = Files.createDirectories(root.resolve("ts-client"));
    for (String file : List.of("scenario.ts", "tsconfig.json")) {
      Files.copy(SOURCES.resolve(file), project.resolve(file));
    }
    Files.writeString(
        project.resolve("package.json"), "{\"private\": true, \"type\": \"module\"}\n");
    Path modules = Files.createSymbolicLink(project.resolve("node_modules"), Fixture.nodeModules());
    try {
      generateCompileAndRun(project, root.resolve("server"));
    } finally {
      Files.delete(modules); // the link only: the fixture stays installed
    }
  }

  private static void generateCompileAndRun(Path project, Path serverRoot) throws Exception {

    Fixture.Run generate =
        Fixture.tool(
            project,
            "openapi-typescript",
            "bin/cli.js",
            Fixture.openApiJson().toString(),
            "--output",
            "goosed-api.ts");
    assertThat(generate.exitCode()).as(generate.both()).isZero();
    assertThat(project.resolve("goosed-api.ts")).content().contains("\"turn_error\"");

    Fixture.Run compile = Fixture.tool(project, "typescript", "bin/tsc", "-p", "tsconfig.json");
    assertThat(compile.exitCode()).as("tsc: " + compile.both()).isZero();

    try (RealServer goosed = new RealServer(serverRoot)) {
      goosed.provider.enqueue(FakeOpenAiServer.text("Hello ", "from TypeScript."));
      goosed.provider.enqueue(FakeOpenAiServer.text("queued ", "reply"));
      goosed.provider.enqueue(
          FakeOpenAiServer.error(
              401, Map.of(), "invalid_request_error", "invalid_api_key", "Incorrect API key"));

      Fixture.Run scenario =
          Fixture.node(
              project,
              List.of(
                  project.resolve("build/scenario.js").toString(),
                  goosed.uri().toString(),
                  goosed.workDir.toString()));
      assertThat(scenario.exitCode()).as("scenario: " + scenario.both()).isZero();
      String summary = scenario.stdout().strip();
      assertThat(
              Json.parse(summary.substring(summary.lastIndexOf('\n') + 1)).path("ok").asBoolean())
          .as(scenario.both())
          .isTrue();

      // What the scenario did is what the server saw: three turns, the session deleted at the end.
      assertThat(goosed.provider.lastRequest().json().toString()).contains("This one fails");
      HttpResponse<String> list =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(goosed.uri() + "/sessions")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(Json.parse(list.body()).path("sessions")).isEmpty();
    }
  }
}
