package goose.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed openapi.json passes two widely used linters with no error: Redocly CLI with its
 * recommended rules and Spectral with its {@code spectral:oas} ruleset. Their warnings are limited
 * to the kinds listed below, each for a stated reason, so a new kind of problem (an ambiguous
 * {@code oneOf}, an invalid default, an undefined tag...) fails the build. Each linter is also
 * shown a broken copy, to prove the check can fail.
 */
// Each test runs one or two linters in node (Redocly, Spectral) over the whole openapi.json: at a
// load of 65-71 two of them passed the default 120 s.
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenApiLintTest {
  /** Redocly warnings accepted on purpose (rule id -> why). */
  static final Map<String, String> REDOCLY_ACCEPTED =
      Map.of(
          "info-license", "the project publishes no license text to point to",
          "operation-4xx-response",
              "the public probes (/status, /openapi.json, /docs) answer no client error",
          "no-unused-components",
              "TurnEvent, the data of each Server-Sent Event, is referenced from the event-stream"
                  + " media types' x-sse-data-schema, which Redocly does not follow");

  /** Spectral warnings accepted on purpose (rule code -> why). */
  static final Map<String, String> SPECTRAL_ACCEPTED =
      Map.of(
          "info-contact",
          "the project has no public contact address",
          "operation-description",
          "every operation has a summary (OpenApiTest); a longer description only where the"
              + " summary is not enough");

  @Test
  void redoclyFindsNoErrorAndOnlyTheAcceptedWarnings() {
    JsonNode report = redocly(Fixture.openApiJson());
    List<String> errors = new ArrayList<>();
    TreeSet<String> warnings = new TreeSet<>();
    for (JsonNode problem : report.path("problems")) {
      String line = problem.path("ruleId").asText() + ": " + problem.path("message").asText();
      if (problem.path("severity").asText().equals("error")) errors.add(line);
      else warnings.add(problem.path("ruleId").asText());
      if (problem.path("ruleId").asText().equals("no-unused-components")) {
        assertThat(problem.path("message").asText()).contains("\"TurnEvent\"");
      }
    }
    System.out.println("redocly: " + report.path("totals") + " warnings " + warnings);
    assertThat(errors).as("Redocly errors").isEmpty();
    assertThat(warnings).isSubsetOf(REDOCLY_ACCEPTED.keySet());
  }

  @Test
  void spectralFindsNoErrorAndOnlyTheAcceptedWarnings() {
    List<String> errors = new ArrayList<>();
    TreeSet<String> warnings = new TreeSet<>();
    for (JsonNode problem : spectral(Fixture.openApiJson())) {
      String line =
          problem.path("code").asText()
              + " at "
              + problem.path("path")
              + ": "
              + problem.path("message").asText();
      if (problem.path("severity").asInt() == 0) errors.add(line);
      else warnings.add(problem.path("code").asText());
    }
    System.out.println("spectral: warnings " + warnings);
    assertThat(errors).as("Spectral errors").isEmpty();
    assertThat(warnings).isSubsetOf(SPECTRAL_ACCEPTED.keySet());
  }

  /** The faults issue 13 found, put back into a copy: both linters must object. */
  @Test
  void bothLintersRejectTheOldFaults(@TempDir Path dir) throws Exception {
    ObjectNode doc = (ObjectNode) Json.parse(Files.readString(Fixture.openApiJson()));
    doc.remove("servers");
    ObjectNode after =
        (ObjectNode)
            doc.at("/paths/~1sessions~1{id}~1events/get/parameters")
                .findParent("minimum"); // the schema of ?after=
    after.put("default", -1);
    ObjectNode turnEvent = (ObjectNode) doc.at("/components/schemas/TurnEvent");
    turnEvent.remove("discriminator");
    for (String variant : List.of("TurnEventToolCall", "TurnEventToolApprovalRequired")) {
      ObjectNode schema = (ObjectNode) doc.at("/components/schemas/" + variant);
      ((ObjectNode) schema.get("properties")).remove("event");
      // call_hash came later (issue 12); without it the two shapes overlap as they did then
      ((ObjectNode) schema.get("properties")).remove("call_hash");
      ArrayNode required = Json.MAPPER.createArrayNode();
      for (JsonNode r : schema.get("required")) {
        if (!r.asText().equals("call_hash"))
          required.add(r.asText().equals("event") ? "id" : r.asText());
      }
      schema.set("required", required);
    }
    Path broken = dir.resolve("openapi.json");
    Files.writeString(broken, Json.write(doc));

    JsonNode redocly = redocly(broken);
    assertThat(redocly.path("problems").findValuesAsText("ruleId"))
        .contains("no-empty-servers", "no-illogical-composition-keywords");
    assertThat(redocly.path("totals").path("errors").asInt()).isPositive();
    List<JsonNode> spectral = spectral(broken);
    assertThat(spectral)
        .anySatisfy(
            p -> {
              assertThat(p.path("code").asText()).isEqualTo("oas3-valid-schema-example");
              assertThat(p.path("severity").asInt()).isZero();
            });
  }

  private static JsonNode redocly(Path document) {
    Fixture.Run run =
        Fixture.tool(
            Fixture.nodeModules().getParent(),
            "@redocly/cli",
            "bin/cli.js",
            "lint",
            document.toString(),
            "--format=json");
    assertThat(run.stdout()).as(run.both()).startsWith("{");
    return Json.parse(run.stdout());
  }

  private static List<JsonNode> spectral(Path document) {
    Path fixture = Fixture.nodeModules().getParent();
    Fixture.Run run =
        Fixture.tool(
            fixture,
            "@stoplight/spectral-cli",
            "dist/index.js",
            "lint",
            "--ruleset",
            fixture.resolve(".spectral.yaml").toString(),
            "--format",
            "json",
            document.toString());
    assertThat(run.stdout().trim()).as(run.both()).startsWith("[");
    List<JsonNode> problems = new ArrayList<>();
    Json.parse(run.stdout()).forEach(problems::add);
    return problems;
  }
}
