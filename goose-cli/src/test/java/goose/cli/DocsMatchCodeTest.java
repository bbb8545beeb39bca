package goose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.ConfigKey;
import goose.testing.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** The exemptions above stay honest: each name is still read somewhere in the code. */
  @Test
  void everyEnvironmentOnlyVariableIsStillRead() throws IOException {
    String code;
    try (Stream<Path> files = Files.walk(ROOT)) {
      code =
          files
              .filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String s = ROOT.relativize(p).toString();
                    if (s.contains("node_modules/") || s.contains("/target/")) return false;
                    if (p.getFileName().toString().equals("DocsMatchCodeTest.java")) return false;
                    return (s.contains("/src/") && s.endsWith(".java"))
                        || s.startsWith("bin/")
                        || s.startsWith(".ci/");
                  })
              .map(DocsMatchCodeTest::read)
              .collect(Collectors.joining("\n"));
    }
    for (String name : ENVIRONMENT_ONLY.keySet()) {
      assertThat(code).as("%s is read by the code", name).contains(name);
    }
  }

  @Test
  void everyTestTheDocsCiteExists() throws IOException {
    Map<String, List<Path>> sources;
    try (Stream<Path> files = Files.walk(ROOT)) {
      sources =
          files
              .filter(p -> p.getFileName().toString().endsWith(".java"))
              .filter(
                  p -> {
                    String s = ROOT.relativize(p).toString();
                    return s.contains("/src/") && !s.contains("/target/");
                  })
              .collect(
                  Collectors.groupingBy(
                      p -> p.getFileName().toString().replaceFirst("\\.java$", "")));
    }
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
}
