package goose.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import goose.json.Json;
import org.junit.jupiter.api.Test;

class RedactorTest {

  static JsonNode redact(String json) {
    return Redactor.redact(Json.parse(json));
  }

  @Test
  void valuesOfSecretLookingKeysAreMaskedAtAnyDepth() {
    JsonNode out =
        redact(
            """
        {"api_key":"abc","path":"/tmp/x","nested":{"Authorization":"Basic Zm9vOmJhcg==","GITHUB_TOKEN":"t",
         "db_password":"p","client_secret":"s","count":3},"list":[{"refresh_token":"r","name":"n"}],"apiKey":7}""");
    assertThat(out.get("api_key").asText()).isEqualTo(Redactor.MASK);
    assertThat(out.get("apiKey").asText()).isEqualTo(Redactor.MASK);
    assertThat(out.get("path").asText()).isEqualTo("/tmp/x");
    assertThat(out.at("/nested/Authorization").asText()).isEqualTo(Redactor.MASK);
    assertThat(out.at("/nested/GITHUB_TOKEN").asText()).isEqualTo(Redactor.MASK);
    assertThat(out.at("/nested/db_password").asText()).isEqualTo(Redactor.MASK);
    assertThat(out.at("/nested/client_secret").asText()).isEqualTo(Redactor.MASK);
    assertThat(out.at("/nested/count").asInt()).isEqualTo(3);
    assertThat(out.at("/list/0/refresh_token").asText()).isEqualTo(Redactor.MASK);
    assertThat(out.at("/list/0/name").asText()).isEqualTo("n");
  }

  @Test
  void credentialsInsideFreeTextAreMaskedAndTheRestKept() {
    String command =
        "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl'"
            + " https://api.example.com/v1 && OPENAI_API_KEY=sk-proj-AbCdEf1234567890 ./run --password=hunter22"
            + " && git clone https://bob:s3cr3tpw@git.example.com/repo.git && echo ghp_abcdefghijklmnopqrstuvwx AKIAABCDEFGHIJKLMNOP";
    String out = Redactor.redact(Json.object().put("command", command)).get("command").asText();
    assertThat(out)
        .doesNotContain(
            "eyJhbGciOiJIUzI1NiJ9",
            "sk-proj-AbCdEf1234567890",
            "hunter22",
            "s3cr3tpw",
            "ghp_abcdefghijklmnopqrstuvwx",
            "AKIAABCDEFGHIJKLMNOP");
    assertThat(out)
        .contains(
            "curl -H",
            "https://api.example.com/v1",
            "OPENAI_API_KEY=" + Redactor.MASK,
            "./run",
            "--password=" + Redactor.MASK,
            "git.example.com/repo.git",
            "echo");
  }

  @Test
  void ordinaryArgumentsPassUnchangedAndTheInputIsNotModified() {
    JsonNode in =
        Json.parse(
            "{\"command\":\"ls -la /home/alice && cat notes.txt\",\"path\":\"src/Main.java\",\"line\":12,\"dry\":true}");
    JsonNode before = in.deepCopy();
    assertThat(Redactor.redact(in)).isEqualTo(before);
    JsonNode secret = Json.parse("{\"token\":\"x\"}");
    Redactor.redact(secret);
    assertThat(secret.get("token").asText()).isEqualTo("x");
  }

  @Test
  void longStringsAreCutWithTheirLengthWhenALimitIsGiven() {
    JsonNode out =
        Redactor.redact(Json.object().put("file_text", "x".repeat(5000)).put("short", "ok"), 100);
    assertThat(out.get("file_text").asText())
        .hasSizeLessThan(200)
        .startsWith("x".repeat(100))
        .endsWith("(5000 characters)");
    assertThat(out.get("short").asText()).isEqualTo("ok");
  }

  @Test
  void theCorpusOfSecretsOnCommandLinesIsMasked() {
    java.util.List<String> leaks = new java.util.ArrayList<>();
    for (String command : SecretCorpus.COMMANDS) {
      String out = Redactor.redactText(command);
      if (out.contains("S3CRET")) leaks.add(command + "  ->  " + out);
    }
    assertThat(leaks).as("secrets left in the audit").isEmpty();
    assertThat(Redactor.redactText("mysql -u root -pS3CRETpw db"))
        .isEqualTo("mysql -u root -p" + Redactor.MASK + " db");
    assertThat(Redactor.redactText("sshpass -p S3CRETpw ssh admin@host uptime"))
        .isEqualTo("sshpass -p " + Redactor.MASK + " ssh admin@host uptime");
    assertThat(Redactor.redactText("tool --token S3CRETtoken --verbose"))
        .isEqualTo("tool --token " + Redactor.MASK + " --verbose");
  }

  @Test
  void commandsWithoutSecretsKeepTheirWords() {
    for (String plain :
        java.util.List.of(
            "mkdir -p build/out",
            "ssh -p 2222 admin@host",
            "git push -u origin main",
            "sort -u names.txt",
            "grep -a pattern file",
            "curl https://example.com/page?id=7",
            "author=Bob make release",
            "docker run -p 8080:80 nginx")) {
      assertThat(Redactor.redactText(plain)).as(plain).isEqualTo(plain);
    }
  }

  @Test
  void anArgumentListIsMaskedArgumentByArgument() {
    assertThat(
            Redactor.redactArgv(
                java.util.List.of(
                    "/usr/bin/mysql", "-u", "root", "-pS3CRET", "--token", "S3CRET2", "--db", "x")))
        .containsExactly(
            "/usr/bin/mysql",
            "-u",
            "root",
            "-p" + Redactor.MASK,
            "--token",
            Redactor.MASK,
            "--db",
            "x");
    assertThat(Redactor.redactArgv(java.util.List.of("sshpass", "-p", "S3CRET", "ssh", "h")))
        .containsExactly("sshpass", "-p", Redactor.MASK, "ssh", "h");
    assertThat(Redactor.redactArgv(java.util.List.of("ssh", "-p", "2222", "--client-secret=S3")))
        .containsExactly("ssh", "-p", "2222", "--client-secret=" + Redactor.MASK);
  }
}
