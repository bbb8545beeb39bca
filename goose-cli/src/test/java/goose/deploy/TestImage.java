package goose.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image built once per test run from the repository's own Dockerfile, shared by every container
 * test: first the stand-in base images (deploy/test/standins.sh, a test fixture: no image registry
 * is reachable here), then {@code docker build} of the checkout as docs/deployment.md gives it,
 * with the machine's CA bundle as the build secret {@code ca} (downloads in the build go through
 * the same TLS-intercepting egress as the machine's). The tag is removed when the JVM exits; the
 * engine's build cache keeps the layers for the next run.
 */
record TestImage(String tag) {
  /** The CA bundle the machine's own tools trust; given to the build as the secret {@code ca}. */
  static final Path CA_BUNDLE =
      Path.of(System.getenv().getOrDefault("GOOSE_BUILD_CA", "/etc/ssl/certs/ca-certificates.crt"));

  private static TestImage built;

  /** The image, built on first use; the calling test is skipped (or fails in CI) without Docker. */
  static synchronized TestImage get() {
    Docker.require();
    if (built == null) built = build();
    return built;
  }

  private static TestImage build() {
    long start = System.nanoTime();
    Docker.Result standins =
        Docker.exec(
            List.of("bash", Repo.path("deploy/test/standins.sh").toString()),
            Map.of(),
            Duration.ofMinutes(30));
    standins.ok();
    System.out.print(standins.err());
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
    System.out.printf(
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
