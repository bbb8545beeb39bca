package goose.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * The command line of a JVM that a test starts (a real server or {@code goose} command in its own
 * process), with this test JVM's classes. The suite starts a hundred or more of them on 2 cores, so
 * each start is made cheaper three times:
 *
 * <ul>
 *   <li>C1 alone ({@code -XX:TieredStopAtLevel=1}): they are short-lived, and C2's compilations
 *       only compete with the tests for the cores ({@code goose --help}: 0.53 s of CPU against
 *       0.71-0.84 s);
 *   <li>a class-data sharing archive of the classes a server start loads, dumped once per test JVM
 *       by a training run ({@link #train}): a start maps them instead of parsing and verifying them
 *       (a {@code goose server} start: 1.7 s of CPU against 3.0-3.5 s);
 *   <li>sqlite-jdbc's native library taken out of its jar once per test JVM ({@link
 *       #sqliteOptions}), as the {@code goose} launcher does, instead of copied and compared byte
 *       by byte by every child that opens a store.
 * </ul>
 *
 * <p>The JVM archives classes from jars only, so the directories on the class path (this module's
 * target/classes and target/test-classes) are copied into jars under target/child-jvm first; every
 * child gets the same class path. A child asked for while the training runs waits for its end,
 * {@link #TRAINING_WAIT} at most after the training started (under a CI run's load it takes 30-40
 * s; a child started without the archive costs about a second of CPU more, and competes with the
 * training for the cores); children started after that, or after a failed training, run without it.
 * The JVM itself checks that the archive matches the class path (every jar's size and time) and
 * otherwise runs without it; {@code -Xlog:cds=off} keeps that quiet, since tests read the
 * children's output.
 */
public final class ChildJvm {
  private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final List<String> OPTIONS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-XX:TieredStopAtLevel=1",
          "-Xlog:cds=off,cds+dynamic=off");

  /** How long after the training's start a child waits for the archive, at most. */
  static final Duration TRAINING_WAIT = Duration.ofSeconds(45);

  private static final CompletableFuture<Optional<Path>> archive = new CompletableFuture<>();
  private static boolean trainingStarted;
  private static long trainingDeadline;
  private static String classPath = "";
  private static @Nullable List<String> sqliteOptions;

  private ChildJvm() {}

  /**
   * {@code java}, its options and {@code -cp}: add JVM options (e.g. {@code -Dname=value}), the
   * main class and its arguments.
   */
  public static List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.addAll(OPTIONS);
    command.addAll(sqliteOptions());
    archive().ifPresent(file -> command.add("-XX:SharedArchiveFile=" + file));
    command.add("-cp");
    command.add(classPath());
    return command;
  }

  /** {@code java ... MAIN ARGS}. */
  public static List<String> command(String mainClass, String... args) {
    List<String> command = java();
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Starts, once per test JVM and in the background, the run that dumps the archive: {@code java
   * MAIN ARGS} with {@code env}, its working directory a new temporary directory {@code root}
   * (output in {@code root/out.txt}), stopped with SIGTERM as soon as {@code started} holds for
   * {@code root}; the JVM writes the archive as it exits. Later calls do nothing.
   */
  public static synchronized void train(
      String mainClass, List<String> args, Map<String, String> env, Predicate<Path> started) {
    if (trainingStarted) return;
    trainingStarted = true;
    trainingDeadline = System.nanoTime() + TRAINING_WAIT.toNanos();
    String cp = classPath();
    Thread.ofPlatform()
        .daemon()
        .name("child-jvm-archive")
        .start(
            () -> {
              try {
                archive.complete(dump(cp, mainClass, args, env, started));
              } catch (RuntimeException e) {
                archive.completeExceptionally(e);
                throw e;
              }
            });
  }

  /**
   * The archive for a child: none when no training started (a module whose tests start no {@code
   * goose server}), else the training's, waited for until {@link #TRAINING_WAIT} after its start.
   */
  private static Optional<Path> archive() {
    long deadline;
    synchronized (ChildJvm.class) {
      if (!trainingStarted) return Optional.empty();
      deadline = trainingDeadline;
    }
    try {
      return archive.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException stillTrainingOrFailed) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<Path> dump(
      String cp,
      String mainClass,
      List<String> args,
      Map<String, String> env,
      Predicate<Path> started) {
    long start = System.nanoTime();
    try {
      Path root = Files.createTempDirectory("child-jvm-training");
      Path file = jarDirectory().resolve("classes.jsa");
      Files.deleteIfExists(file);
      List<String> command = new ArrayList<>(List.of(JAVA));
      command.addAll(OPTIONS);
      command.addAll(sqliteOptions());
      command.addAll(List.of("-XX:ArchiveClassesAtExit=" + file, "-cp", cp, mainClass));
      command.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
      pb.environment().putAll(env);
      pb.environment().put("HOME", root.toString());
      pb.environment().put("GOOSE_PATH_ROOT", root.toString());
      pb.redirectErrorStream(true).redirectOutput(root.resolve("out.txt").toFile());
      Process process = pb.start();
      // A test JVM that ends before the training run is listening must not leave it running
      // without a parent (it would serve on its port until killed by hand).
      Thread orphanGuard = new Thread(process::destroyForcibly, "child-jvm-archive-stop");
      Runtime.getRuntime().addShutdownHook(orphanGuard);
      try {
        return awaitDump(process, file, root, start, started);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(orphanGuard);
        } catch (IllegalStateException exiting) {
          // The JVM is exiting: the hook stops the training run.
        }
      }
    } catch (IOException e) {
      log.warn("no class archive for test JVMs (children start without it)", e);
      return Optional.empty();
    }
  }

  /**
   * Waits until the training run has started ({@code started} holds for {@code root}), stops it
   * with SIGTERM and waits for the archive it writes as it exits.
   */
  private static Optional<Path> awaitDump(
      Process process, Path file, Path root, long start, Predicate<Path> started) {
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (process.isAlive() && !started.test(root) && System.nanoTime() < deadline)
        Thread.sleep(50);
      process.destroy();
      if (!process.waitFor(3, TimeUnit.MINUTES)) process.destroyForcibly().waitFor();
      else if (Files.exists(file)) {
        log.info(
            "class archive for test JVMs dumped in {} ms: {}",
            (System.nanoTime() - start) / 1_000_000,
            file);
        return Optional.of(file);
      }
      log.warn("no class archive for test JVMs (children start without it): {}", root);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * {@code -Dorg.sqlite.lib.path} and {@code -Dorg.sqlite.lib.name}: sqlite-jdbc's native library
   * for this platform, taken out of its jar once per test JVM into target/child-jvm/native (made on
   * first use). Without them every child that opens a store copies the 1.1 MB library to a new
   * temporary file and compares the copy with the jar's byte by byte before loading it: ~0.14 s of
   * CPU per {@code goose server} start. Empty (children extract it themselves, as before) when the
   * library cannot be found or written.
   */
  private static synchronized List<String> sqliteOptions() {
    List<String> options = sqliteOptions;
    if (options == null) {
      options = extractSqliteLibrary();
      sqliteOptions = options;
    }
    return options;
  }

  private static List<String> extractSqliteLibrary() {
    try {
      String name = LibraryLoaderUtil.getNativeLibName();
      String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
      byte[] library;
      try (InputStream in = LibraryLoaderUtil.class.getResourceAsStream(resource)) {
        if (in == null) return List.of();
        library = in.readAllBytes();
      }
      Path dir = Files.createDirectories(jarDirectory().resolve("native"));
      Path file = dir.resolve(name);
      if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), library)) {
        // Another test JVM of the module may be loading the file: write a new one and rename it.
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        Files.write(tmp, library);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return List.of("-Dorg.sqlite.lib.path=" + dir, "-Dorg.sqlite.lib.name=" + name);
    } catch (IOException | RuntimeException e) {
      log.warn("sqlite-jdbc's native library not extracted for child JVMs (each extracts it)", e);
      return List.of();
    }
  }

  /** This JVM's class path with each directory replaced by a jar of it (made on first use). */
  private static synchronized String classPath() {
    if (classPath.isEmpty()) {
      String separator = System.getProperty("path.separator");
      classPath =
          Stream.of(System.getProperty("java.class.path").split(separator))
              .map(ChildJvm::asJar)
              .collect(Collectors.joining(separator));
    }
    return classPath;
  }

  private static String asJar(String entry) {
    Path dir = Path.of(entry);
    if (!Files.isDirectory(dir)) return entry;
    try {
      Path jar = jarDirectory().resolve(jarName(dir));
      try (OutputStream out = Files.newOutputStream(jar);
          ZipOutputStream zip = new ZipOutputStream(out);
          Stream<Path> files = Files.walk(dir)) {
        zip.setLevel(1);
        for (Path file : (Iterable<Path>) files.sorted()::iterator) {
          if (file.equals(dir)) continue;
          String name = dir.relativize(file).toString().replace('\\', '/');
          if (Files.isDirectory(file)) {
            zip.putNextEntry(new ZipEntry(name + "/"));
          } else {
            zip.putNextEntry(new ZipEntry(name));
            Files.copy(file, zip);
          }
          zip.closeEntry();
        }
      }
      return jar.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The jar's name for a class directory, with its module's name: under {@code mvn test} the
   * sibling modules are directories too, and goose-core's and goose-server's {@code
   * target/test-classes} must not become one {@code test-classes.jar}.
   */
  static String jarName(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    Path target = abs.getParent();
    Path module = target == null ? null : target.getParent();
    Path moduleName = module == null ? null : module.getFileName();
    return (moduleName == null ? "" : moduleName + "-") + abs.getFileName() + ".jar";
  }

  /** target/child-jvm of the module under test (the test JVM runs in the module's directory). */
  private static Path jarDirectory() throws IOException {
    return Files.createDirectories(Path.of("target", "child-jvm").toAbsolutePath());
  }
}
