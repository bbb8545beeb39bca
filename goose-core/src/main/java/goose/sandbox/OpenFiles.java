package goose.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Files as the server's OS user sees them: the unsandboxed modes. */
final class OpenFiles implements WorkspaceFiles {
  private final Path workingDir;

  OpenFiles(Path workingDir) {
    this.workingDir = workingDir;
  }

  @Override
  public Path resolve(String raw) throws IOException {
    if (raw.isBlank()) throw new FileRefusedException("the path must not be empty");
    Path p = goose.config.GoosePaths.expand(raw, goose.config.GoosePaths.home(System.getenv()));
    return (p.isAbsolute() ? p : workingDir.resolve(p)).normalize();
  }

  @Override
  public Kind kind(Path path) {
    if (Files.isRegularFile(path)) return Kind.FILE;
    if (Files.isDirectory(path)) return Kind.DIRECTORY;
    return Files.exists(path) ? Kind.OTHER : Kind.MISSING;
  }

  @Override
  public long size(Path path) throws IOException {
    return Files.size(path);
  }

  @Override
  public byte[] read(Path path) throws IOException {
    return Files.readAllBytes(path);
  }

  @Override
  public void write(Path path, byte[] content) throws IOException {
    if (path.getParent() != null) Files.createDirectories(path.getParent());
    Files.write(path, content);
  }

  @Override
  public OutputStream create(Path path) throws IOException {
    if (path.getParent() != null) Files.createDirectories(path.getParent());
    return Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  @Override
  public boolean delete(Path path) throws IOException {
    return Files.deleteIfExists(path);
  }

  @Override
  public List<Entry> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      List<Entry> out = new ArrayList<>();
      entries.forEach(p -> out.add(new Entry(p.getFileName().toString(), kind(p))));
      out.sort(Comparator.comparing(Entry::name));
      return out;
    }
  }
}
