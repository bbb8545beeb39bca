package goose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import goose.config.GoosePaths;
import goose.testing.Repo;
import goose.testing.deploy.Dockerfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile stays consistent with the repository, without a Docker engine: every path it
 * copies, the build command and the jar layout it relies on are checked against the checkout and
 * the poms, and the launcher it installs against the main class and flags bin/goose uses. The image
 * itself is built and run by {@link ContainerImageTest} where a Docker engine runs.
 */
class DockerfileTest {
  private static final Dockerfile FILE = Dockerfile.parse(Repo.read("Dockerfile"));
  private static final Dockerfile POMS = FILE.stage("poms");
  private static final Dockerfile BUILD = FILE.stage("build");
  private static final Dockerfile JAVA_RUNTIME = FILE.stage("java-runtime");
  private static final Dockerfile OS = FILE.stage("os");
  private static final Dockerfile RUNTIME = FILE.stage("");
  private static final String LAUNCHER = "deploy/docker/goose";

  @Test
  void buildsWithMavenOnJdk25AndRunsAJlinkedRuntimeOnDebianSlim() {
    assertThat(FILE.all("FROM")).hasSize(6);
    assertThat(POMS.last("FROM").words().getFirst()).startsWith("maven:").contains("temurin-25");
    assertThat(BUILD.last("FROM").words().getFirst()).isEqualTo("poms");
    assertThat(OS.last("FROM").words().getFirst()).isEqualTo("debian:bookworm-slim");
    assertThat(RUNTIME.last("FROM").words()).containsExactly("os");
    // The runtime is made by jlink in a stage of its own (no compiler, no Maven) and copied over.
    assertThat(JAVA_RUNTIME.last("FROM").words().getFirst())
        .isEqualTo(POMS.last("FROM").words().getFirst());
    assertThat(JAVA_RUNTIME.run("jlink").arguments())
        .contains("--output /opt/java/goose-runtime")
        .contains(
            "/opt/java/goose-runtime/bin/java -Xshare:dump --enable-native-access=ALL-UNNAMED")
        .doesNotContain("jdk.compiler");
    assertThat(RUNTIME.last("ENV").arguments()).doesNotContain("JAVA_HOME");
    assertThat(RUNTIME.all("ENV").getFirst().arguments())
        .contains("JAVA_HOME=/opt/java/goose-runtime")
        .contains("PATH=/opt/java/goose-runtime/bin:");
  }

  @Test
  void buildsOfflineWithBuildKitAndTakesAnExtraCaBundleAsASecret() {
    // A `# syntax=` parser directive makes BuildKit fetch a frontend image: no registry, no build.
    assertThat(Repo.read("Dockerfile").lines().filter(l -> l.matches("(?i)#\\s*syntax\\s*=.*")))
        .isEmpty();
    for (Dockerfile stage : List.of(BUILD, FILE.stage("maven-cache"))) {
      assertThat(stage.run("mvn").flags()).contains("--mount=type=secret,id=ca");
      assertThat(stage.run("mvn").arguments()).startsWith("/opt/build/build-mvn ");
    }
    assertThat(POMS.all("COPY").stream().map(c -> c.words().getFirst()))
        .contains("deploy/docker/build-mvn", "deploy/docker/AddTrustedCerts.java");
    assertThat(Repo.read("deploy/docker/build-mvn"))
        .contains("java /opt/build/AddTrustedCerts.java /run/secrets/ca /tmp/truststore.p12")
        .contains("-Djavax.net.ssl.trustStore=/tmp/truststore.p12")
        .contains("exec mvn -B -q");
    assertThat(OS.run("apt-get").flags()).contains("--mount=type=secret,id=ca");
    assertThat(OS.run("apt-get").arguments()).contains("Acquire::https::CAInfo=/run/secrets/ca");
  }

  @Test
  void bakesTheClassDataArchiveAndCarriesTheOciLabels() {
    assertThat(RUNTIME.run("train-archive").arguments()).isEqualTo("/opt/goose/train-archive");
    assertThat(Repo.read("deploy/docker/train-archive"))
        .contains("-XX:ArchiveClassesAtExit=$archive")
        .contains("archive=/opt/goose/goose.jsa");
    assertThat(Repo.read(LAUNCHER))
        .contains("archive=/opt/goose/goose.jsa")
        .contains("-XX:SharedArchiveFile=$archive");
    String labels = RUNTIME.last("LABEL").arguments();
    for (String label : List.of("title", "description", "version", "revision", "created"))
      assertThat(labels).contains("org.opencontainers.image." + label + "=");
    assertThat(RUNTIME.all("ARG").stream().map(Dockerfile.Instruction::arguments))
        .as("the version label defaults to the project's version")
        .contains("VERSION=" + TestImage.pomVersion());
  }

  @Test
  void stagesThatDependOnLittleKeepTheirCacheAcrossCodeChanges() {
    // jlink's stage takes the list of modules from the build, nothing else: a code change that
    // needs no new module leaves it cached.
    assertThat(BUILD.run("mvn").arguments()).endsWith("> /opt/build/runtime-modules");
    assertThat(JAVA_RUNTIME.all("COPY"))
        .singleElement()
        .satisfies(c -> assertThat(c.flag("from")).contains("build"))
        .satisfies(c -> assertThat(c.words().getFirst()).isEqualTo("/opt/build/runtime-modules"));
    assertThat(JAVA_RUNTIME.run("jlink").arguments())
        .contains("modules=\"$(cat /opt/build/runtime-modules)\"");
    // The stages CI fills once per machine (deploy/test/build-caches.sh) copy no source code: the
    // Maven cache from the poms, the operating system from nothing of the repository.
    assertThat(POMS.all("COPY").stream().map(c -> c.words().getFirst()))
        .allMatch(source -> !source.contains("/src"));
    assertThat(FILE.stage("maven-cache").last("FROM").words())
        .containsExactly("poms", "AS", "maven-cache");
    assertThat(FILE.stage("maven-cache").run("mvn").arguments()).endsWith("dependency:go-offline");
    assertThat(OS.all("COPY")).isEmpty();
    String script = Repo.read("deploy/test/build-caches.sh");
    assertThat(script).contains("for target in maven-cache os; do");
    assertThat(Repo.read(".ci/run")).contains("deploy/test/build-caches.sh");
    // Both builds give the same secret, so they share the cache.
    String defaultCa = "/etc/ssl/certs/ca-certificates.crt";
    assertThat(script).contains("GOOSE_BUILD_CA:-" + defaultCa);
    assertThat(Repo.read("goose-deploy-tests/src/test/java/goose/deploy/TestImage.java"))
        .contains("getOrDefault(\"GOOSE_BUILD_CA\", \"" + defaultCa + "\")");
  }

  @Test
  void dockerignoreKeepsEveryModulesTestsOutOfTheContext() {
    // The build skips the tests (-Dmaven.test.skip=true): a change to them leaves its cache valid.
    assertThat(BUILD.run("mvn").arguments()).contains("-Dmaven.test.skip=true");
    List<String> ignored = Repo.read(".dockerignore").lines().map(String::strip).toList();
    for (String module : modules()) assertThat(ignored).contains(module + "/src/test");
  }

  @Test
  void dockerignoreKeepsBuildOutputAndNodeModulesOutOfTheContext() {
    assertThat(Repo.read(".dockerignore").lines().map(String::strip))
        .contains("**/target", "**/node_modules", ".git");
  }

  @Test
  void everyCopiedSourceExistsAndIsNotExcludedByDockerignore() {
    List<String> ignored =
        Repo.read(".dockerignore")
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(ignored)
        .as("negated patterns are not understood by this check")
        .noneMatch(p -> p.startsWith("!"));
    List<String> sources = new ArrayList<>();
    for (Dockerfile.Instruction copy : FILE.all("COPY")) {
      if (copy.flag("from").isPresent()) continue;
      List<String> words = copy.words();
      sources.addAll(words.subList(0, words.size() - 1));
    }
    assertThat(sources).isNotEmpty();
    for (String source : sources) {
      assertThat(Repo.path(source)).as("COPY source %s", source).exists();
      assertThat(ignored)
          .as("%s is excluded from the build context by .dockerignore", source)
          .noneMatch(pattern -> excludes(pattern, source));
    }
  }

  @Test
  void copiesThePomAndSourcesOfEveryModule() {
    List<String> copied = FILE.all("COPY").stream().map(c -> c.words().getFirst()).toList();
    assertThat(copied).contains("pom.xml");
    assertThat(modules()).contains("goose-core", "goose-cli").doesNotContain("bench");
    for (String module : modules()) {
      assertThat(copied).as("module %s", module).contains(module + "/pom.xml", module + "/src");
    }
  }

  @Test
  void buildsTheArtefactsTheRuntimeStageCopies() {
    Dockerfile.Instruction run =
        BUILD.all("RUN").stream()
            .filter(r -> r.arguments().contains("mvn"))
            .findFirst()
            .orElseThrow();
    // The tests and the analysis are CI's (bin/test): the image build compiles neither the tests
    // nor with Error Prone (an empty errorprone.main), for the same main classes at a fraction of
    // the CPU.
    assertThat(run.arguments())
        .contains(" package")
        .contains("-Dmaven.test.skip=true")
        .contains("-Derrorprone.main= ");
    assertThat(Repo.read("pom.xml")).contains("<arg>${errorprone.main}</arg>");
    // Without test compilation the test jars are empty, but they must still be made: other modules
    // name them in test scope, and Maven resolves those even when it skips the tests.
    for (String module : modules()) {
      String pom = Repo.read(module + "/pom.xml");
      if (pom.contains("<goal>test-jar</goal>"))
        assertThat(pom).as("%s/pom.xml", module).contains("<skip>false</skip>");
    }
    String workdir = POMS.last("WORKDIR").arguments();

    // The runtime copies goose-cli/target/goose.jar and goose-cli/target/lib/: what the goose-cli
    // pom builds ...
    Map<String, String> copies = new java.util.HashMap<>();
    for (Dockerfile.Instruction copy : RUNTIME.all("COPY")) {
      if (copy.flag("from").isPresent()) copies.put(copy.words().get(0), copy.words().get(1));
    }
    assertThat(copies)
        .containsOnlyKeys(
            workdir + "/goose-cli/target/goose.jar",
            workdir + "/goose-cli/target/lib/",
            "/opt/java/goose-runtime/");
    assertThat(RUNTIME.all("COPY").stream().flatMap(c -> c.flag("from").stream()))
        .containsOnly("build", "java-runtime");
    String cliPom = Repo.read("goose-cli/pom.xml");
    assertThat(cliPom)
        .contains("<finalName>goose</finalName>")
        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
    // ... and what bin/goose runs from a checkout.
    assertThat(Repo.read("bin/lib.sh"))
        .contains("GOOSE_JAR=\"$GOOSE_ROOT/goose-cli/target/goose.jar\"")
        .contains("GOOSE_LIB=\"$GOOSE_ROOT/goose-cli/target/lib\"");

    // The launcher's class path is where those were copied to.
    String launcher = Repo.read(LAUNCHER);
    String jar = copies.get(workdir + "/goose-cli/target/goose.jar");
    String lib = copies.get(workdir + "/goose-cli/target/lib/");
    assertThat(launcher).contains("-cp \"" + jar + ":" + lib + "*\"");
  }

  @Test
  void launcherRunsTheCliMainClassWithTheFlagsBinGooseUses() throws Exception {
    String launcher = Repo.read(LAUNCHER);
    assertThat(launcher).startsWith("#!/bin/sh\n").contains("exec java ").contains("\"$@\"");
    Matcher main = Pattern.compile("\\s(goose\\.cli\\.[A-Za-z]+)\\s").matcher(launcher);
    assertThat(main.find()).isTrue();
    // This module builds before goose-cli (the image is built from the sources), so the class is
    // read as source; ContainerImageTest runs it in the image.
    String mainSource = "goose-cli/src/main/java/" + main.group(1).replace('.', '/') + ".java";
    assertThat(Repo.path(mainSource)).as("the launcher's main class").exists();
    assertThat(Repo.read(mainSource)).contains("public static void main(String[] args)");
    assertThat(Repo.read("bin/lib.sh")).contains(main.group(1));
    assertThat(launcher).contains("--enable-native-access=ALL-UNNAMED").contains("$JAVA_OPTS");
    assertThat(Files.isExecutable(Repo.path(LAUNCHER)))
        .as("the launcher is committed executable")
        .isTrue();

    Dockerfile.Instruction install =
        RUNTIME.all("COPY").stream()
            .filter(c -> c.words().getFirst().equals(LAUNCHER))
            .findFirst()
            .orElseThrow();
    assertThat(install.words().get(1)).isEqualTo("/usr/local/bin/goose");
    assertThat(install.flag("chmod")).contains("0755");
  }

  @Test
  void runsServerAsANonRootUserWithAHealthCheckOnStatus() {
    assertThat(RUNTIME.last("ENTRYPOINT").arguments()).isEqualTo("[\"goose\"]");
    assertThat(RUNTIME.last("CMD").arguments()).isEqualTo("[\"server\"]");
    String user = RUNTIME.last("USER").arguments();
    assertThat(user).isNotIn("root", "0");
    assertThat(OS.run("useradd").arguments()).contains(" " + user);
    assertThat(RUNTIME.last("HEALTHCHECK").arguments())
        .contains("CMD curl")
        .contains("/status")
        .contains("${GOOSE_PORT}");
    assertThat(OS.run("apt-get").arguments()).contains("curl");
    String env = RUNTIME.last("ENV").arguments();
    assertThat(env).contains("GOOSE_HOST=0.0.0.0").contains("GOOSE_PORT=3000");
    assertThat(RUNTIME.last("EXPOSE").arguments()).isEqualTo("3000");
  }

  @Test
  void volumesAreTheConfigAndDataDirectoriesGooseResolvesForTheUser() {
    GoosePaths paths = GoosePaths.resolve(Map.of(), Path.of("/home/goose"));
    assertThat(RUNTIME.last("VOLUME").arguments())
        .contains("\"" + paths.configDir() + "\"")
        .contains("\"" + paths.dataDir() + "\"");
    assertThat(OS.run("useradd").arguments())
        .contains(paths.configDir().toString())
        .contains(paths.dataDir().toString())
        .contains("chown -R goose:goose /home/goose");
  }

  /**
   * The modules of the default build: the first {@code <modules>} block, not those of opt-in
   * profiles (bench).
   */
  static List<String> modules() {
    String pom = Repo.read("pom.xml");
    String defaults = pom.substring(pom.indexOf("<modules>"), pom.indexOf("</modules>"));
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(defaults);
    List<String> modules = new ArrayList<>();
    while (m.find()) modules.add(m.group(1));
    return modules;
  }

  /**
   * .dockerignore semantics for the patterns used here: a path or a directory prefix, {@code
   * **}/name anywhere.
   */
  static boolean excludes(String pattern, String source) {
    String p = pattern.replaceAll("/+$", "");
    String s = source.replaceAll("/+$", "");
    if (p.startsWith("**/")) {
      String name = p.substring(3);
      return List.of(s.split("/", -1)).contains(name);
    }
    return s.equals(p) || s.startsWith(p + "/");
  }
}
