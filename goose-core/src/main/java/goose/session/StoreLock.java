package goose.session;

import goose.config.PrivateFiles;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The file locks of the processes on one SQLite store: OS file locks ({@code fcntl} semantics
 * through {@link FileChannel#tryLock}) beside the database, which the operating system releases
 * when the process ends, even by {@code kill -9}, so a stale lock never blocks a restart.
 *
 * <ul>
 *   <li>{@link #server}: {@code sessions.db.lock}, exclusive, held by the one {@code goose server}
 *       of the store for its life. The holder writes its pid into the file so that a refused second
 *       server can say which process holds the store. Several processes may run turns on one file
 *       (they lease their turns and signal each other, see {@link SqliteSignals}), but one server
 *       per data directory is what a person means to run: a second one is a mistake (two listeners,
 *       two sets of API-managed extensions in one config.yaml), refused loudly.
 *   <li>{@link #runner}: {@code sessions.db.runners}, shared, held by every process that runs turns
 *       on the store: the server and each {@code goose acp}. They coexist.
 *   <li>{@link #sole}: both, exclusively, for {@code goose session migrate}, which copies the store
 *       and must not miss a write made meanwhile.
 * </ul>
 *
 * Commands that only read, add (import, users) or copy the store ({@code goose session backup})
 * take none.
 */
public final class StoreLock implements AutoCloseable {
  /** The runner locks this JVM holds, by file: the OS refuses a process a second lock of a file. */
  private static final Map<Path, SharedHold> RUNNERS = new HashMap<>();

  private final Path file;
  private final List<AutoCloseable> held;

  private StoreLock(Path file, List<AutoCloseable> held) {
    this.file = file;
    this.held = held;
  }

  /** The server lock file of the SQLite store {@code database}. */
  public static Path lockFile(Path database) {
    return database.resolveSibling(database.getFileName() + ".lock");
  }

  /** The runner lock file of the SQLite store {@code database}. */
  static Path runnersFile(Path database) {
    return database.resolveSibling(database.getFileName() + ".runners");
  }

  /**
   * The server's lock of {@code database}, with a runner's; throws {@link StoreInUseException}
   * naming the pid of the server (or migration) that holds it.
   */
  public static StoreLock server(Path database) {
    StoreLock server = exclusive(database);
    try {
      StoreLock runner = runner(database);
      return new StoreLock(server.file, List.of(runner, server));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * A runner's share of {@code database} ({@code goose acp}); throws {@link StoreInUseException}
   * while {@code goose session migrate} copies it.
   */
  public static StoreLock runner(Path database) {
    Path file = runnersFile(database);
    synchronized (RUNNERS) {
      SharedHold hold = RUNNERS.get(file);
      if (hold == null) {
        FileChannel channel = open(file);
        FileLock lock;
        try {
          lock = channel.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException migratingHere) {
          lock = null;
        } catch (IOException e) {
          closeQuietly(channel, e);
          throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
          closeQuietly(channel, null);
          throw new StoreInUseException(database, holderOf(lockFile(database)));
        }
        hold = new SharedHold(file, channel);
        RUNNERS.put(file, hold);
      }
      hold.count++;
      SharedHold taken = hold;
      return new StoreLock(file, List.of(taken::release));
    }
  }

  /**
   * {@code database} for this process alone (no server and no {@code goose acp} on it); throws
   * {@link StoreInUseException} naming who uses it.
   */
  public static StoreLock sole(Path database) {
    StoreLock server = exclusive(database);
    Path file = runnersFile(database);
    FileChannel channel = open(file);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw StoreInUseException.byRunners(database);
      }
      return new StoreLock(server.file, List.of(channel, server));
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel, null);
      server.close();
      throw StoreInUseException.byRunners(database);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** {@code sessions.db.lock}, exclusively, with this process's pid written into it. */
  private static StoreLock exclusive(Path database) {
    Path file = lockFile(database);
    FileChannel channel = open(file);
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
      return new StoreLock(file, List.of(channel));
    } catch (IOException e) {
      closeQuietly(channel, e);
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static FileChannel open(Path file) {
    try {
      PrivateFiles.file(file); // 0600 like the database beside it
      return FileChannel.open(
          file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the lock file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FileChannel channel, @Nullable Exception cause) {
    try {
      channel.close();
    } catch (IOException suppressed) {
      if (cause != null) cause.addSuppressed(suppressed);
    }
  }

  /** The runner lock of one file in this JVM, shared by its holders here, released by the last. */
  private static final class SharedHold {
    private final Path file;
    private final FileChannel channel;
    private int count;

    SharedHold(Path file, FileChannel channel) {
      this.file = file;
      this.channel = channel;
    }

    void release() throws IOException {
      synchronized (RUNNERS) {
        if (--count > 0) return;
        RUNNERS.remove(file);
        channel.close(); // releases the lock
      }
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

  /** Releases the locks (the files stay: removing one would race with a process taking it). */
  @Override
  public void close() {
    IOException failed = null;
    for (AutoCloseable h : held) {
      try {
        h.close();
      } catch (Exception e) {
        if (failed == null) failed = new IOException("cannot release " + file, e);
        else failed.addSuppressed(e);
      }
    }
    if (failed != null) throw new UncheckedIOException(failed);
  }
}
