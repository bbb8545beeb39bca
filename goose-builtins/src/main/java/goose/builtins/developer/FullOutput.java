package goose.builtins.developer;

import goose.sandbox.WorkspaceFiles;
import goose.sandbox.WorkspaceFiles.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole output of a command whose output is too long for the model, saved to a file in the
 * session's working directory ({@value #DIR}), so the model can read the rest in parts with its
 * tools (inside the sandbox too, which shows the workspace and nothing else of the host). Output is
 * kept in memory up to the model's limits; only once it exceeds them is the file created, so a
 * short command leaves nothing behind. At most {@value #MAX_SAVED_BYTES} bytes are saved and the
 * {@value #KEEP_FILES} newest files kept; the directory carries a {@code .gitignore} of {@code *}.
 * Every file is reached through the sandbox's {@link WorkspaceFiles}, like the text editor's: the
 * workspace is the model's to shape, and with the sandbox on a symbolic link there never leads the
 * server's writes out of it.
 */
final class FullOutput {
  static final String DIR = ".goose/shell-output";
  static final long MAX_SAVED_BYTES = 100L * 1024 * 1024;
  static final int KEEP_FILES = 50;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final WorkspaceFiles files;
  private final int maxBytes;
  private final int maxLines;
  private final ByteArrayOutputStream early = new ByteArrayOutputStream();
  private long bytes;
  private long lines;
  private Optional<OutputStream> file = Optional.empty();
  private Optional<Path> path = Optional.empty();
  private Optional<String> failure = Optional.empty();

  /**
   * Saves the output, through {@code files}, once it exceeds {@code maxBytes} bytes or {@code
   * maxLines} lines.
   */
  FullOutput(WorkspaceFiles files, int maxBytes, int maxLines) {
    this.files = files;
    this.maxBytes = maxBytes;
    this.maxLines = maxLines;
  }

  synchronized void append(byte[] chunk, int length) {
    bytes += length;
    for (int i = 0; i < length; i++) if (chunk[i] == '\n') lines++;
    if (failure.isPresent()) return;
    if (file.isEmpty()) {
      early.write(chunk, 0, length);
      boolean partialLine = length > 0 && chunk[length - 1] != '\n';
      if (early.size() <= maxBytes && (lines < maxLines || (lines == maxLines && !partialLine)))
        return;
      open();
      if (file.isEmpty()) return;
      write(early.toByteArray(), early.size());
      early.reset();
      return;
    }
    write(chunk, length);
  }

  /** Where the whole output is, once it was too long; empty while it fits. */
  synchronized Optional<Path> path() {
    return path;
  }

  /** Why it could not be saved, if it could not. */
  synchronized Optional<String> failure() {
    return failure;
  }

  synchronized long bytes() {
    return bytes;
  }

  /** Newlines seen: the number of lines, less one when the output does not end with a newline. */
  synchronized long newlines() {
    return lines;
  }

  /** Ends the file; call once the command's output has ended. */
  synchronized void close() {
    file.ifPresent(
        out -> {
          try {
            out.close();
          } catch (IOException e) {
            failure = Optional.of(e.toString());
          }
        });
    file = Optional.empty();
  }

  /** Removes the saved file: the output turned out short enough to be shown whole. */
  synchronized void discard() {
    close();
    path.ifPresent(
        p -> {
          try {
            files.delete(p);
          } catch (IOException e) {
            // a stray file in the output directory; pruned later
          }
        });
    path = Optional.empty();
  }

  private void write(byte[] chunk, int length) {
    OutputStream out = file.orElseThrow();
    try {
      long room = MAX_SAVED_BYTES - (bytes - length);
      if (room <= 0) return;
      out.write(chunk, 0, (int) Math.min(length, room));
    } catch (IOException e) {
      failure = Optional.of("writing " + path.map(Path::toString).orElse("") + ": " + e);
      close();
    }
  }

  private void open() {
    try {
      Path dir = files.resolve(DIR);
      Path ignore = dir.resolve(".gitignore");
      if (files.kind(ignore) == Kind.MISSING)
        files.write(ignore, "*\n".getBytes(StandardCharsets.UTF_8));
      prune(dir);
      String name =
          STAMP.format(LocalDateTime.now(ZoneId.systemDefault()))
              + "-"
              + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
              + ".txt";
      Path target = files.resolve(DIR + "/" + name);
      file = Optional.of(files.create(target));
      path = Optional.of(target);
    } catch (IOException | RuntimeException e) {
      failure = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
      early.reset();
    }
  }

  /** Keeps the newest files only, so the directory does not grow without end. */
  private void prune(Path dir) throws IOException {
    List<WorkspaceFiles.Entry> saved =
        files.list(dir).stream()
            .filter(e -> e.kind() == Kind.FILE && e.name().endsWith(".txt"))
            .toList(); // sorted by name: oldest first
    for (int i = 0; i <= saved.size() - KEEP_FILES; i++)
      files.delete(dir.resolve(saved.get(i).name()));
  }
}
