package goose.deploy;

import goose.provider.fake.FakeOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One container of the test image, run with {@code docker run -d} and removed on close. */
final class Container implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String id;

  private Container(String id) {
    this.id = id;
  }

  /** {@code docker run -d ARGS}: options, then the image, then its command. */
  static Container run(String... args) {
    List<String> command = new ArrayList<>(List.of("run", "-d"));
    command.addAll(List.of(args));
    return new Container(Docker.docker(Duration.ofMinutes(2), command.toArray(String[]::new)).ok());
  }

  /** The host address (loopback) docker published the container's port 3000 on. */
  URI base() {
    String published = Docker.ok("port", id, "3000/tcp").lines().findFirst().orElseThrow();
    return URI.create("http://" + published.strip());
  }

  String inspect(String format) {
    return Docker.ok("inspect", "--format", format, id);
  }

  String exec(String... command) {
    List<String> args = new ArrayList<>(List.of("exec", id));
    args.addAll(List.of(command));
    return Docker.docker(Duration.ofMinutes(2), args.toArray(String[]::new)).ok();
  }

  String logs() {
    Docker.Result r = Docker.docker(Duration.ofSeconds(30), "logs", id);
    return r.out() + r.err();
  }

  /** For a failure message: the container's log and whether it reaches {@code url} at all. */
  String diagnose(URI url) {
    Docker.Result probe =
        Docker.docker(
            Duration.ofSeconds(30),
            "exec",
            id,
            "curl",
            "-sS",
            "-m",
            "5",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            url.toString());
    return "from the container, "
        + url
        + " answers: "
        + probe.out()
        + probe.err()
        + "\n--- log\n"
        + logs();
  }

  /** Waits until {@code GET /status} answers 200 through the published port. */
  URI awaitStatus(Duration timeout) throws InterruptedException {
    URI base = base();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(base.resolve("/status"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return base;
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      if (!"true".equals(inspect("{{.State.Running}}")))
        throw new AssertionError("the container exited before serving /status:\n" + logs());
      if (System.nanoTime() > deadline)
        throw new AssertionError("no 200 from /status within " + timeout + ":\n" + logs());
      Thread.sleep(200);
    }
  }

  /** Waits until the image's health check reports {@code healthy}. */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String status = inspect("{{.State.Health.Status}}");
      if (status.equals("healthy")) return;
      if (System.nanoTime() > deadline || status.equals("unhealthy"))
        throw new AssertionError(
            "health status "
                + status
                + " after "
                + timeout
                + ": "
                + inspect("{{json .State.Health}}"));
      Thread.sleep(500);
    }
  }

  @Override
  public void close() {
    Docker.docker(Duration.ofMinutes(1), "rm", "-f", "-v", id);
  }

  /**
   * The tests' fake OpenAI provider, listening on the host's address on Docker's default bridge,
   * which every container (default bridge or a Compose network) reaches the host at.
   */
  static FakeOpenAiServer reachableProvider() throws IOException {
    return new FakeOpenAiServer(InetAddress.getByName(hostGateway()));
  }

  /**
   * The host's address on Docker's default bridge: what a container reaches the host at. The
   * bridge's IPAM entry names it, except after an engine's very first start on a machine, when it
   * holds only the subnet (Docker 20.10); the bridge's interface on the host (docker0) has it then.
   */
  static String hostGateway() {
    String[] gatewayAndInterface =
        Docker.ok(
                "network",
                "inspect",
                "bridge",
                "--format",
                "{{(index .IPAM.Config 0).Gateway}}|{{index .Options"
                    + " \"com.docker.network.bridge.name\"}}")
            .split("\\|", 2);
    if (!gatewayAndInterface[0].isBlank()) return gatewayAndInterface[0];
    String bridge = gatewayAndInterface.length > 1 ? gatewayAndInterface[1].strip() : "";
    try {
      return Optional.ofNullable(NetworkInterface.getByName(bridge)).stream()
          .flatMap(NetworkInterface::inetAddresses)
          .filter(Inet4Address.class::isInstance)
          .map(InetAddress::getHostAddress)
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "Docker's default bridge names no gateway, and its interface '"
                          + bridge
                          + "' has no IPv4 address on this host"));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }
}
