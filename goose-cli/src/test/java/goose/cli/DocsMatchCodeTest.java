package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.ConfigKey;
import goose.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The documentation names only settings, commands and tests that exist: every {@code GOOSE_*} name
 * in the docs is a {@link ConfigKey} (or one of the few environment-only variables below, of the
 * launchers and test harness, each still read by the code), every {@code bin/goose ...} command
 * line in the docs parses, and every test or benchmark class the docs cite as evidence ({@code
 * FooTest}, {@code FooTest.method}) is in the sources.
 */
// First among the module's classes (the POM orders classes by @Order): it starts no goose JVM, so
// it runs while the class archive for those trains, which they wait for (ChildJvm.TRAINING_WAIT).
@Order(1)
class DocsMatchCodeTest {
  private static final Path ROOT = Repo.ROOT;
  private static final Pattern SETTING = Pattern.compile("\\bGOOSE_[A-Z0-9_]*[A-Z0-9]");

  /** A test or benchmark class, and perhaps one of its methods: {@code FooTest.aCaseOfIt}. */
  private static final Pattern TEST_NAME =
      Pattern.compile("\\b([A-Z][A-Za-z0-9]*(?:Test|Benchmark))(?:\\.([a-z][A-Za-z0-9]*))?\\b");

  /** Directories the checkout's files are not in: build output, installed packages, git. */
  private static final Set<String> NOT_OURS = Set.of("target", "node_modules", ".git");

  /** A record of past passes: it names the tests of their time, some since renamed or merged. */
  private static final Path HISTORY = ROOT.resolve("docs/benchmarks.md");

  /**
   * Variables read from the process environment, never from config.yaml, so not configuration keys.
   */
  private static final Map<String, String> ENVIRONMENT_ONLY =
      Map.ofEntries(
          Map.entry("GOOSE_PATH_ROOT", "locates the config and data dirs: read before any config"),
          Map.entry("GOOSE_CONFIG_DIR", "locates config.yaml itself"),
          Map.entry("GOOSE_CDS", "read by the launcher scripts (bin/lib.sh), not by Java"),
          Map.entry("GOOSE_AOT", "read by the launcher scripts (bin/lib.sh), not by Java"),
          Map.entry("GOOSE_CLI_TRACE", "a debugging switch of the command line"),
          Map.entry("GOOSE_MIGRATE_PASSWORD", "the target password of `goose session migrate`"),
          Map.entry("GOOSE_DISABLE_KEYRING", "a variable of the reference goose agent (bench/)"),
          Map.entry("GOOSE_CONTAINER_TESTS", "switches the container tests on (bin/test, CI)"),
          Map.entry("GOOSE_DOCKER", "the docker program the container tests use"),
          Map.entry("GOOSE_COMPOSE", "the compose program the container tests use"),
          Map.entry("GOOSE_BUILD_CA", "a CA bundle the container tests' image build trusts"),
          Map.entry(
              "GOOSE_TEST_CPU", "where the test JVMs report each class's CPU (ClassCpuReport)"));

  private static List<Path> docs() {
    List<Path> docs = new ArrayList<>();
    for (String top : List.of("README.md", "CONTRIBUTING.md", "SECURITY.md", "BENCHMARKS.md")) {
      if (Files.isRegularFile(ROOT.resolve(top))) docs.add(ROOT.resolve(top));
    }
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyDocumentedSettingIsKnownToTheCode() {
    Set<String> known =
        ConfigKey.KNOWN.stream()
            .map(ConfigKey::name)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> unknown = new TreeSet<>();
    for (Path doc : docs()) {
      Matcher m = SETTING.matcher(read(doc));
      while (m.find()) {
        String name = m.group();
        if (!known.contains(name) && !ENVIRONMENT_ONLY.containsKey(name))
          unknown.add(name + " (" + ROOT.relativize(doc) + ")");
      }
    }
    assertThat(unknown).as("GOOSE_* names in the docs that ConfigKey does not know").isEmpty();
  }

  /**
   * The checkout's own files by their path relative to its root, without what builds, installs and
   * git make: {@code target/}, {@code node_modules/} (tens of thousands of files) and {@code .git/}
   * are not entered at all.
   */
  private static Map<String, Path> checkoutFiles() throws IOException {
    Map<String, Path> files = new TreeMap<>();
    Files.walkFileTree(
        ROOT,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            Path name = dir.getFileName();
            return name != null && NOT_OURS.contains(name.toString())
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) files.put(ROOT.relativize(file).toString(), file);
            return FileVisitResult.CONTINUE;
          }
        });
    return files;
  }

  /** A Java source of a module (main or test) or of bench/. */
  private static boolean javaSource(String path) {
    return path.contains("/src/") && path.endsWith(".java");
  }

  /** The exemptions above stay honest: each name is still read somewhere in the code. */
  @Test
  void everyEnvironmentOnlyVariableIsStillRead() throws IOException {
    String code =
        checkoutFiles().entrySet().stream()
            .filter(
                e -> {
                  String path = e.getKey();
                  if (path.endsWith("/DocsMatchCodeTest.java")) return false;
                  return javaSource(path) || path.startsWith("bin/") || path.startsWith(".ci/");
                })
            .map(e -> read(e.getValue()))
            .collect(Collectors.joining("\n"));
    for (String name : ENVIRONMENT_ONLY.keySet()) {
      assertThat(code).as("%s is read by the code", name).contains(name);
    }
  }

  @Test
  void everyTestTheDocsCiteExists() throws IOException {
    Map<String, List<Path>> sources =
        checkoutFiles().entrySet().stream()
            .filter(e -> javaSource(e.getKey()))
            .map(Map.Entry::getValue)
            .collect(
                Collectors.groupingBy(
                    p -> p.getFileName().toString().replaceFirst("\\.java$", "")));
    Set<String> missing = new TreeSet<>();
    int cited = 0;
    for (Path doc : docs()) {
      if (doc.equals(HISTORY)) continue;
      Matcher m = TEST_NAME.matcher(read(doc));
      while (m.find()) {
        cited++;
        String where = " (" + ROOT.relativize(doc) + ")";
        List<Path> files = sources.get(m.group(1));
        if (files == null) {
          missing.add(m.group(1) + where);
          continue;
        }
        String method = m.group(2);
        if (method != null
            && !method.equals("java")
            && files.stream().map(DocsMatchCodeTest::read).noneMatch(t -> t.contains(method)))
          missing.add(m.group() + where);
      }
    }
    assertThat(cited).as("tests the docs cite").isGreaterThan(100);
    assertThat(missing)
        .as("tests and test methods the docs cite that are not in the sources")
        .isEmpty();
  }

  @Test
  void everyDocumentedCommandParses() {
    List<String> commands = new ArrayList<>();
    for (Path doc : docs()) {
      for (String line : DocCommands.extract(read(doc))) {
        commands.add(line);
      }
    }
    assertThat(commands).as("bin/goose command lines found in the docs").hasSizeGreaterThan(10);
    List<String> failures = new ArrayList<>();
    for (String command : commands) {
      List<String> words = DocCommands.words(command);
      try {
        Main.commandLine(CliEnvironment.system())
            .parseArgs(words.subList(1, words.size()).toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        failures.add(command + "  ->  " + e.getMessage());
      }
    }
    assertThat(failures).as("documented commands that do not parse").isEmpty();
  }

  /**
   * The README's streamed turn is what the server sends today: every {@code event:}/{@code data:}
   * pair decodes as that turn event and encodes back to the same JSON, so a field added to an event
   * (usage, cost_usd, cache counts) shows up here until the example has it.
   */
  @Test
  void theReadmesTurnEventsAreWhatTheServerSends() {
    Matcher m =
        Pattern.compile("(?m)^event: (\\w+)\ndata: (\\{.*\\})$")
            .matcher(read(ROOT.resolve("README.md")));
    List<String> names = new ArrayList<>();
    while (m.find()) {
      com.fasterxml.jackson.databind.JsonNode data = goose.json.Json.parse(m.group(2));
      goose.event.TurnEvent event = goose.event.EventCodec.fromJson(m.group(1), data);
      assertThat(goose.event.EventCodec.toJsonText(event)).as(m.group(0)).isEqualTo(m.group(2));
      names.add(m.group(1));
    }
    assertThat(names).contains("usage", "tool_call", "tool_result", "message_complete");
  }
}
