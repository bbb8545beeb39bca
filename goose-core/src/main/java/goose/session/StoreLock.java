package goose.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive hold of one server on a SQLite store: an OS file lock ({@code fcntl}/{@code flock}
 * semantics through {@link FileChannel#tryLock()}) on {@code sessions.db.lock} beside the database,
 * held for the server's life. The operating system releases it when the process ends, even by
 * {@code kill -9}, so a stale lock cannot block a restart. The holder writes its pid into the file
 * so that a refused second server can say which process holds the store.
 *
 * <p>SQLite's own locking keeps every single write safe between processes, but not a server's
 * assumptions: at start a server closes every turn left running (they are its own, from before a
 * crash), which would cut off the live turns of another server on the same file, and two servers
 * would write one event log. Commands that only read, add (import, users) or copy the store ({@code
 * goose session backup}) do not take this lock.
 */
public final class StoreLock implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of the SQLite store {@code database}. */
  public static Path lockFile(Path database) {
    return database.resolveSibling(database.getFileName() + ".lock");
  }

  /**
   * Takes the lock of {@code database} or throws {@link StoreInUseException} naming the holder's
   * pid.
   */
  public static StoreLock acquire(Path database) {
    Path file = lockFile(database);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the lock file " + file + ": " + e.getMessage(), e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldByThisProcess) {
        lock = null;
      }
      if (lock == null) {
        String holder = holderOf(file);
        channel.close();
        throw new StoreInUseException(database, holder);
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      channel.force(false);
      return new StoreLock(file, channel, lock);
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Who holds the lock of {@code database} right now ("pid N"), without taking it for long; empty
   * when no server holds it (or there is no store yet).
   */
  public static java.util.Optional<String> holder(Path database) {
    Path file = lockFile(database);
    if (!Files.exists(file)) return java.util.Optional.empty();
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe;
      try {
        probe = channel.tryLock();
      } catch (OverlappingFileLockException heldByThisProcess) {
        return java.util.Optional.of("pid " + ProcessHandle.current().pid());
      }
      if (probe != null) {
        probe.release();
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(holderOf(file));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The pid written by the holder, or "another process" while it has not written it yet. */
  private static String holderOf(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.matches("\\d{1,19}") ? "pid " + text : "another process";
    } catch (IOException e) {
      return "another process";
    }
  }

  public Path file() {
    return file;
  }

  /** Releases the lock (the file stays: removing it would race with a process taking it). */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
