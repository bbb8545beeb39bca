package goose.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The files an in-process tool (the text editor) may reach for one session, from {@link
 * Sandbox#files}. Paths are first checked with {@link #resolve}; every operation then takes the
 * checked path. With the sandbox on, the checked path lies in the workspace after resolving
 * symbolic links and {@code ..}, and operations refuse a symbolic link that appears along it after
 * the check.
 */
public interface WorkspaceFiles {

  /** What a path names. */
  enum Kind {
    MISSING,
    FILE,
    DIRECTORY,
    OTHER
  }

  /** One entry of a directory listing. */
  record Entry(String name, Kind kind) {}

  /**
   * The absolute path a tool argument names: relative to the workspace, {@code ~/} for the home
   * directory the tool's processes have. Throws {@link FileRefusedException} when it may not be
   * reached.
   */
  Path resolve(String raw) throws IOException;

  Kind kind(Path path) throws IOException;

  long size(Path path) throws IOException;

  byte[] read(Path path) throws IOException;

  /** Writes (creating or truncating) the file, creating missing parent directories. */
  void write(Path path, byte[] content) throws IOException;

  /**
   * Creates a new file (never replacing one), creating missing parent directories, and opens it for
   * writing: for output saved while it is produced.
   */
  OutputStream create(Path path) throws IOException;

  /** Deletes the file; false when there was none. */
  boolean delete(Path path) throws IOException;

  /** The entries of a directory, sorted by name. */
  List<Entry> list(Path directory) throws IOException;

  /** A path the tool may not reach, with a message for the model. */
  final class FileRefusedException extends IOException {
    public FileRefusedException(String message) {
      super(message);
    }
  }
}
