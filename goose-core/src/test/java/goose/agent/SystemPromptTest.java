package goose.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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

    assertThat(prompt).startsWith(SystemPrompt.BASE).contains("working directory is " + sub);
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
