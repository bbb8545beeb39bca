package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import goose.config.Config;
import goose.config.ConfigException;
import goose.tool.ActiveExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemPromptTest {
  @TempDir Path dir;

  @Test
  void collectsHintsFromTheGitRootDownToTheWorkingDirAndGlobalHints() throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(repo.resolve(".git"));
    Path sub = Files.createDirectories(repo.resolve("module/src"));
    Files.writeString(dir.resolve(".goosehints"), "ABOVE THE GIT ROOT");
    Files.writeString(config.resolve(".goosehints"), "GLOBAL HINT");
    Files.writeString(repo.resolve("AGENTS.md"), "ROOT AGENTS");
    Files.writeString(repo.resolve("module/.goosehints"), "MODULE HINT");

    String prompt = new SystemPrompt(config).build(sub);

    assertThat(prompt).startsWith(PromptText.IDENTITY);
    assertThat(prompt)
        .contains("GLOBAL HINT", "ROOT AGENTS", "MODULE HINT")
        .doesNotContain("ABOVE THE GIT ROOT");
    assertThat(prompt.indexOf("GLOBAL HINT")).isLessThan(prompt.indexOf("ROOT AGENTS"));
    assertThat(prompt.indexOf("ROOT AGENTS")).isLessThan(prompt.indexOf("MODULE HINT"));
  }

  @Test
  void withoutAGitRootOnlyTheWorkingDirIsRead() throws Exception {
    Path work = Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/.goosehints"), "PARENT");
    Files.writeString(work.resolve(".goosehints"), "HERE");

    String prompt = new SystemPrompt(dir.resolve("none")).build(work);

    assertThat(prompt).contains("HERE").doesNotContain("PARENT");
  }

  @Test
  void activeExtensionsAreListedWithTheirInstructionsBeforeTheGuidelines() {
    String prompt =
        new SystemPrompt(dir.resolve("none"))
            .build(
                dir,
                List.of(
                    new ActiveExtension("developer", "Use the shell well."),
                    new ActiveExtension("everything", "")));

    assertThat(prompt)
        .contains("# Turn Context", "`<turn-context>`")
        .contains("# Extensions")
        .contains("## developer\n\n### Instructions\n\nUse the shell well.")
        .contains("## everything")
        .doesNotContain("No extension is active");
    assertThat(prompt.indexOf("# Turn Context")).isLessThan(prompt.indexOf("# Extensions"));
    assertThat(prompt.indexOf("## everything")).isLessThan(prompt.indexOf("# Response Guidelines"));
    assertThat(new SystemPrompt(dir.resolve("none")).build(dir)).contains("No extension is active");
  }

  @Test
  void extensionsThatChangeBetweenCallsChangeThePrompt() {
    SystemPrompt prompt = new SystemPrompt(dir.resolve("none"));
    List<ActiveExtension> one = List.of(new ActiveExtension("developer", "Use the shell well."));
    String first = prompt.build(dir, one);
    assertThat(prompt.build(dir, List.of(new ActiveExtension("developer", "Use the shell well."))))
        .isEqualTo(first);
    assertThat(prompt.build(dir, List.of(new ActiveExtension("developer", "Other words."))))
        .contains("Other words.")
        .doesNotContain("Use the shell well.");
    assertThat(prompt.build(dir, List.of())).contains("No extension is active");
    assertThat(prompt.build(dir, one)).isEqualTo(first);
  }

  @Test
  void thePromptIsTheSameOnEveryCallSoItCaches() throws Exception {
    Files.writeString(dir.resolve(".goosehints"), "HINT");
    SystemPrompt prompt = new SystemPrompt(dir.resolve("none"));
    List<ActiveExtension> extensions = List.of(new ActiveExtension("todo", "Keep a list."));

    assertThat(prompt.build(dir, extensions)).isEqualTo(prompt.build(dir, extensions));
    assertThat(prompt.build(dir, extensions)).doesNotContain(dir.toString());
  }

  @Test
  void theOperatorsFileIsAppendedLast() throws Exception {
    Path file = Files.writeString(dir.resolve("house-rules.md"), "Always answer in French.");
    Files.writeString(dir.resolve(".goosehints"), "PROJECT HINT");
    Config config =
        Config.load(
            Map.of(
                "GOOSE_PATH_ROOT",
                dir.resolve("root").toString(),
                SystemPrompt.FILE_KEY,
                file.toString()),
            dir);

    String prompt = SystemPrompt.from(config).build(dir);

    assertThat(prompt).endsWith("Always answer in French.");
    assertThat(prompt.indexOf("PROJECT HINT")).isLessThan(prompt.indexOf("Always answer"));
  }

  @Test
  void aMissingOperatorFileStopsTheStart() {
    Config config =
        Config.load(
            Map.of(
                "GOOSE_PATH_ROOT",
                dir.resolve("root").toString(),
                SystemPrompt.FILE_KEY,
                dir.resolve("missing.md").toString()),
            dir);

    assertThatThrownBy(() -> SystemPrompt.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SystemPrompt.FILE_KEY)
        .hasMessageContaining("missing.md");
  }

  @Test
  void aHintFileThatIsASymbolicLinkIsNotRead() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path secrets = Files.writeString(dir.resolve("secrets.yaml"), "OPENAI_API_KEY: sk-secret");
    Files.createSymbolicLink(work.resolve(".goosehints"), secrets);
    Files.writeString(work.resolve("AGENTS.md"), "REAL AGENTS");

    String prompt = new SystemPrompt(dir.resolve("none")).build(work);

    assertThat(prompt).contains("REAL AGENTS").doesNotContain("sk-secret");
  }

  @Test
  void aHugeHintFileIsReadOnlyInPart() throws Exception {
    Path work = Files.createDirectories(dir.resolve("big"));
    Files.writeString(work.resolve(".goosehints"), "x".repeat(1_000_000));

    assertThat(new SystemPrompt(dir.resolve("none")).build(work).length()).isLessThan(200_000);
  }
}
