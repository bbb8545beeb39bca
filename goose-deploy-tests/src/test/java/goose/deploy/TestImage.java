package goose.deploy;

import goose.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The image built once per test run from the repository's own Dockerfile, shared by every container
 * test: first the stand-in base images (deploy/test/standins.sh, a test fixture: no image registry
 * is reachable here), then {@code docker build} of the checkout as docs/deployment.md gives it,
 * with the machine's CA bundle as the build secret {@code ca} (downloads in the build go through
 * the same TLS-intercepting egress as the machine's). The tag is removed when the JVM exits; the
 * engine's build cache keeps the layers for the next run. {@link BuildTestImageEarly} starts the
 * build as the test JVM starts when a class {@link UsesTestImage} is in the run, so the build
 * overlaps the other classes instead of running alone at the start of the first (isolated)
 * container test.
 */
record TestImage(String tag) {
  /** The CA bundle the machine's own tools trust; given to the build as the secret {@code ca}. */
  static final Path CA_BUNDLE =
      Path.of(System.getenv().getOrDefault("GOOSE_BUILD_CA", "/etc/ssl/certs/ca-certificates.crt"));

  private static @Nullable CompletableFuture<TestImage> building;

  /**
   * What the build says about itself (stand-ins, build time, size), printed by the first test that
   * gets the image, so it lands in that container test's report (.ci/run prints it from there) even
   * when the build ran in the background beside another class.
   */
  private static @Nullable String report;

  /**
   * The image, built on first use or waited for when {@link #startBuilding()} started it; the
   * calling test is skipped (or fails in CI) without Docker, and fails when the build failed.
   */
  static TestImage get() {
    Docker.require();
    try {
      TestImage image = startBuilding().get();
      printReportOnce();
      return image;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) throw error;
      throw new AssertionError("the image did not build", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the image build", e);
    }
  }

  private static synchronized void printReportOnce() {
    if (report != null) System.out.print(report);
    report = null;
  }

  /** Starts the build in a thread of its own unless it started already; one build per JVM. */
  static synchronized CompletableFuture<TestImage> startBuilding() {
    CompletableFuture<TestImage> started = building;
    if (started == null) {
      started =
          CompletableFuture.supplyAsync(
              TestImage::build,
              task -> Thread.ofPlatform().name("test-image-build").daemon().start(task));
      building = started;
    }
    return started;
  }

  private static TestImage build() {
    long start = System.nanoTime();
    Docker.Result standins =
        Docker.exec(
            List.of("bash", Repo.path("deploy/test/standins.sh").toString()),
            Map.of(),
            Duration.ofMinutes(30));
    standins.ok();
    Duration standInsTime = Duration.ofNanos(System.nanoTime() - start);

    String tag = "goosed:test-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> args = new ArrayList<>(List.of("build", "--progress=plain", "--tag", tag));
    if (Files.isReadable(CA_BUNDLE)) args.addAll(List.of("--secret", "id=ca,src=" + CA_BUNDLE));
    args.addAll(
        List.of(
            "--build-arg",
            "VERSION=" + pomVersion(),
            "--build-arg",
            "REVISION=" + revision(),
            Repo.ROOT.toString()));
    long buildStart = System.nanoTime();
    Docker.Result result = Docker.run(Duration.ofMinutes(40), args, Map.of());
    if (result.exit() != 0) throw new AssertionError("the image did not build:\n" + result.err());
    Duration buildTime = Duration.ofNanos(System.nanoTime() - buildStart);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> Docker.docker(Duration.ofMinutes(1), "rmi", "-f", tag)));
    TestImage image = new TestImage(tag);
    report =
        standins.err()
            + String.format(
                "container tests: stand-in base images ready in %d s; image %s built in %d s, %d MB%n",
                standInsTime.toSeconds(), tag, buildTime.toSeconds(), image.sizeMegabytes());
    return image;
  }

  /** {@code sh -c SCRIPT} in a throw-away container of the image. */
  Docker.Result shell(String script) {
    return Docker.docker(
        Duration.ofMinutes(2), "run", "--rm", "--entrypoint", "sh", tag, "-c", script);
  }

  long sizeMegabytes() {
    return Long.parseLong(Docker.ok("image", "inspect", "--format", "{{.Size}}", tag)) / 1_000_000;
  }

  /** The project version, from the parent pom. */
  static String pomVersion() {
    Matcher m =
        Pattern.compile("<artifactId>goosed-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Repo.read("pom.xml"));
    if (!m.find()) throw new AssertionError("no version in pom.xml");
    return m.group(1);
  }

  private static String revision() {
    Docker.Result git =
        Docker.exec(List.of("git", "rev-parse", "HEAD"), Map.of(), Duration.ofSeconds(30));
    return git.exit() == 0 ? git.out().strip() : "unknown";
  }
}
