package goose.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an in-process tool reaches through {@link Sandbox#files} with the sandbox on: the workspace
 * after resolving {@code ..} and symbolic links, never a hidden path, and never through a symbolic
 * link swapped in between the check and the use.
 */
@Timeout(60)
class ConfinedFilesTest {
  @TempDir Path root;
  SandboxFixture f;
  WorkspaceFiles files;
  Path outside;

  @BeforeEach
  void open() throws Exception {
    f = new SandboxFixture(root);
    files = f.sandbox.files(f.alice);
    outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("target.txt"), "outside content");
  }

  @Test
  void pathsInsideTheWorkspaceResolveToTheirRealPlace() throws Exception {
    Files.createDirectories(f.alice.resolve("src"));
    Files.createSymbolicLink(f.alice.resolve("link-in"), f.alice.resolve("src"));
    assertThat(files.resolve("notes.txt")).isEqualTo(f.alice.resolve("notes.txt"));
    assertThat(files.resolve(f.alice + "/src/../notes.txt"))
        .isEqualTo(f.alice.resolve("notes.txt"));
    assertThat(files.resolve("~/a/b.txt")).isEqualTo(f.alice.resolve("a/b.txt"));
    assertThat(files.resolve("link-in/x.java")).isEqualTo(f.alice.resolve("src/x.java"));
  }

  @Test
  void dotDotAbsolutePathsAndLinksOutAreRefused() throws Exception {
    Files.createSymbolicLink(f.alice.resolve("to-bob"), f.bob);
    Files.createSymbolicLink(f.alice.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(f.alice.resolve("dangling-out"), outside.resolve("new.txt"));
    for (String raw :
        List.of(
            "../bob/private.txt",
            f.bob.resolve("private.txt").toString(),
            "/etc/passwd",
            "to-bob/private.txt",
            "passwd",
            "dangling-out",
            f.config.paths().secretsFile().toString(),
            "~/../bob/private.txt")) {
      assertThatThrownBy(() -> files.resolve(raw))
          .as(raw)
          .isInstanceOf(WorkspaceFiles.FileRefusedException.class)
          .hasMessageContaining("workspace");
    }
  }

  @Test
  void theServersDirectoriesInsideAWorkspaceAreRefused() throws Exception {
    WorkspaceFiles wide = f.sandbox.files(root);
    assertThatThrownBy(() -> wide.resolve(f.config.paths().secretsFile().toString()))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class)
        .hasMessageContaining("server's own files");
    Files.createSymbolicLink(root.resolve("innocent"), f.config.paths().dataDir());
    assertThatThrownBy(() -> wide.resolve("innocent/sessions/sessions.db"))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class);
    assertThat(wide.resolve("workspaces/alice/x")).isEqualTo(f.alice.resolve("x"));
  }

  @Test
  void aDirectorySwappedForALinkAfterTheCheckIsRefused() throws Exception {
    Path sub = Files.createDirectories(f.alice.resolve("sub"));
    Files.writeString(sub.resolve("target.txt"), "inside content");
    Path checked = files.resolve("sub/target.txt");
    assertThat(new String(files.read(checked), StandardCharsets.UTF_8)).isEqualTo("inside content");

    Files.move(sub, f.alice.resolve("sub-old"));
    Files.createSymbolicLink(sub, outside);

    assertThatThrownBy(() -> files.read(checked))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class)
        .hasMessageContaining("symbolic link appeared");
    assertThatThrownBy(() -> files.write(checked, "overwritten".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class);
    assertThatThrownBy(() -> files.kind(checked))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class);
    assertThatThrownBy(() -> files.delete(checked))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class);
    assertThat(Files.readString(outside.resolve("target.txt"))).isEqualTo("outside content");
  }

  @Test
  void aFileSwappedForALinkAfterTheCheckIsRefused() throws Exception {
    Path file = f.alice.resolve("f.txt");
    Files.writeString(file, "mine");
    Path checked = files.resolve("f.txt");
    Files.delete(file);
    Files.createSymbolicLink(file, outside.resolve("target.txt"));

    assertThatThrownBy(() -> files.read(checked))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class);
    assertThatThrownBy(() -> files.write(checked, "overwritten".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class);
    assertThat(files.delete(checked)).as("removes the link itself, never its target").isTrue();
    assertThat(Files.readString(outside.resolve("target.txt"))).isEqualTo("outside content");
  }

  @Test
  void writingCreatesMissingDirectoriesAndListingNeverFollowsLinks() throws Exception {
    Path deep = files.resolve("a/b/c/new.txt");
    files.write(deep, "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(f.alice.resolve("a/b/c/new.txt"))).isEqualTo("hello");
    Files.createSymbolicLink(f.alice.resolve("a/out"), outside);
    assertThat(files.list(files.resolve("a")))
        .containsExactly(
            new WorkspaceFiles.Entry("b", WorkspaceFiles.Kind.DIRECTORY),
            new WorkspaceFiles.Entry("out", WorkspaceFiles.Kind.OTHER));
    assertThat(files.kind(files.resolve("missing.txt"))).isEqualTo(WorkspaceFiles.Kind.MISSING);
    assertThat(files.delete(files.resolve("missing.txt"))).isFalse();
  }

  @Test
  void createMakesANewFileInMissingDirectoriesAndNeverReplacesOrLeavesTheWorkspace()
      throws Exception {
    Path saved = files.resolve(".goose/shell-output/out.txt");
    try (var out = files.create(saved)) {
      out.write("first part ".getBytes(StandardCharsets.UTF_8));
      out.write("second part".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.readString(f.alice.resolve(".goose/shell-output/out.txt")))
        .isEqualTo("first part second part");
    assertThatThrownBy(() -> files.create(saved))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);

    // A link swapped in for the directory after the check: the file is not made through it.
    Path checked = files.resolve("logs/run.txt");
    Files.createSymbolicLink(f.alice.resolve("logs"), outside);
    assertThatThrownBy(() -> files.create(checked))
        .isInstanceOf(WorkspaceFiles.FileRefusedException.class);
    assertThat(outside.resolve("run.txt")).doesNotExist();
  }
}
