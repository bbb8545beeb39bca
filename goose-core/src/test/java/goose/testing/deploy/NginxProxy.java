package goose.testing.deploy;

import static org.awaitility.Awaitility.await;

import goose.testing.Repo;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real nginx binary running deploy/nginx/goosed.conf on loopback: the documented file,
 * unchanged but for its addresses and paths (ports, certificate, password file, upstream), inside a
 * minimal main configuration that keeps every file nginx writes in a temporary directory.
 */
public final class NginxProxy implements AutoCloseable {
  public static final String CONFIG = "deploy/nginx/goosed.conf";
  public static final String MISSING =
      "nginx is not installed, and this test runs the real nginx in front of goosed. "
          + "Install it with: sudo apt-get update && sudo apt-get install -y nginx (bash .ci/run does this)";

  public static final String UPSTREAM_HEADER = "X-Test-Upstream";

  public final int httpsPort;
  public final int httpPort;
  private final Path dir;
  private final Process process;

  private NginxProxy(Path dir, int httpsPort, int httpPort, Process process) {
    this.dir = dir;
    this.httpsPort = httpsPort;
    this.httpPort = httpPort;
    this.process = process;
  }

  /**
   * The nginx binary on PATH or in /usr/sbin; fails the test saying how to install it when there is
   * none.
   */
  public static Path binary() {
    for (String dir :
        (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin")
            .split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, "nginx");
      if (Files.isExecutable(candidate)) return candidate;
    }
    throw new AssertionError(MISSING);
  }

  public static NginxProxy start(
      Path dir, int upstreamPort, SelfSignedTls tls, Map<String, String> users) throws Exception {
    return start(dir, List.of("127.0.0.1:" + upstreamPort), tls, users);
  }

  /**
   * With the upstream at {@code upstream}: {@code host:port}, or {@code unix:/path} for a socket.
   */
  public static NginxProxy start(
      Path dir, String upstream, SelfSignedTls tls, Map<String, String> users) throws Exception {
    return start(dir, List.of(upstream), tls, users);
  }

  /**
   * With several goosed instances in the upstream (nginx's default round robin), each {@code
   * host:port} or {@code unix:/path}. Each response says which one served it in the test's own
   * header {@link #UPSTREAM_HEADER}.
   */
  public static NginxProxy start(
      Path dir, List<String> upstreams, SelfSignedTls tls, Map<String, String> users)
      throws Exception {
    Path nginx = binary();
    Files.createDirectories(dir.resolve("tmp"));
    Path htpasswd = dir.resolve("goosed.htpasswd");
    Files.writeString(htpasswd, Htpasswd.of(users));
    int[] ports = freePorts(2);
    int httpsPort = ports[0];
    int httpPort = ports[1];
    String site = site(Repo.read(CONFIG), upstreams, httpsPort, httpPort, tls, htpasswd);
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, main(dir, site));

    run(nginx, dir, conf, "-t"); // a config error fails here with nginx's own message
    Process process =
        new ProcessBuilder(command(nginx, dir, conf))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    NginxProxy proxy = new NginxProxy(dir, httpsPort, httpPort, process);
    try {
      proxy.awaitListening();
    } catch (RuntimeException | Error e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /**
   * The documented server blocks with loopback ports and this test's files in place of the
   * examples.
   */
  public static String site(
      String documented,
      List<String> upstreams,
      int httpsPort,
      int httpPort,
      SelfSignedTls tls,
      Path htpasswd) {
    String servers =
        upstreams.stream()
            .map(upstream -> "$1" + upstream + ";")
            .collect(java.util.stream.Collectors.joining("\n"));
    String site = replaceOnce(documented, "(?m)^(\\s*server\\s+)127\\.0\\.0\\.1:3000;", servers);
    // Observation only: which upstream served a response (not part of the shipped file), in every
    // location (/status too: the two-replica test steers nginx's rotation with it).
    long locations = Pattern.compile("(?m)^\\s*location [^{]*\\{$").matcher(site).results().count();
    site =
        site.replaceAll(
            "(?m)^(\\s*location [^{]*\\{)$",
            "$1\n        add_header "
                + UPSTREAM_HEADER
                + java.util.regex.Matcher.quoteReplacement(" $upstream_addr always;"));
    if (locations < 2)
      throw new AssertionError("expected the locations / and = /status in " + CONFIG);
    site = replaceOnce(site, "(?m)^(\\s*listen\\s+)443 ssl;", "$1127.0.0.1:" + httpsPort + " ssl;");
    site = replaceOnce(site, "(?m)^(\\s*listen\\s+)80;", "$1127.0.0.1:" + httpPort + ";");
    site = replaceOnce(site, "(?m)^(\\s*ssl_certificate\\s+)\\S+;", "$1" + tls.certificate() + ";");
    site =
        replaceOnce(site, "(?m)^(\\s*ssl_certificate_key\\s+)\\S+;", "$1" + tls.privateKey() + ";");
    return replaceOnce(site, "(?m)^(\\s*auth_basic_user_file\\s+)\\S+;", "$1" + htpasswd + ";");
  }

  private static String replaceOnce(String text, String regex, String replacement) {
    long count = Pattern.compile(regex).matcher(text).results().count();
    if (count != 1)
      throw new AssertionError(
          CONFIG
              + ": expected one line matching "
              + regex
              + " for the test to adapt, found "
              + count);
    return Pattern.compile(regex).matcher(text).replaceFirst(replacement);
  }

  private static String main(Path dir, String site) {
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String tmp = dir.resolve("tmp").toString();
    return user
        + """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        events { worker_connections 256; }
        http {
            access_log %1$s/access.log;
            client_body_temp_path %2$s/body;
            proxy_temp_path %2$s/proxy;
            fastcgi_temp_path %2$s/fastcgi;
            uwsgi_temp_path %2$s/uwsgi;
            scgi_temp_path %2$s/scgi;
        %3$s
        }
        """
            .formatted(dir, tmp, site);
  }

  /** nginx with {@code dir} as its prefix and error log, {@code conf} as its configuration. */
  private static List<String> command(Path nginx, Path dir, Path conf, String... flags) {
    List<String> command = new ArrayList<>(List.of(nginx.toString(), "-p", dir + "/"));
    command.addAll(List.of("-e", dir.resolve("error.log").toString(), "-c", conf.toString()));
    command.addAll(List.of(flags));
    return command;
  }

  private static void run(Path nginx, Path dir, Path conf, String flag) throws Exception {
    Process p =
        new ProcessBuilder(command(nginx, dir, conf, flag)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(
          "nginx "
              + flag
              + " refused the generated configuration:\n"
              + output
              + "\n"
              + Files.readString(conf));
    }
  }

  private void awaitListening() throws Exception {
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                if (!process.isAlive())
                  throw new AssertionError("nginx exited at start:\n" + log());
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress("127.0.0.1", httpsPort), 200);
                  return true;
                } catch (IOException notYet) {
                  return false;
                }
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "nginx did not listen on " + httpsPort + " within 20 s:\n" + log(), e);
    }
  }

  public String log() {
    StringBuilder sb = new StringBuilder();
    for (String name : new String[] {"stdout.log", "error.log"}) {
      try {
        sb.append("--- ").append(name).append('\n').append(Files.readString(dir.resolve(name)));
      } catch (IOException e) {
        sb.append("--- ").append(name).append(": ").append(e.getMessage()).append('\n');
      }
    }
    return sb.toString();
  }

  public Optional<String> accessLog() {
    try {
      return Optional.of(Files.readString(dir.resolve("access.log")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code count} distinct free loopback ports: all held open at once while they are chosen. */
  public static int[] freePorts(int count) throws IOException {
    ServerSocket[] held = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        held[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ports[i] = held[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) if (s != null) s.close();
    }
  }

  /** SIGTERM is nginx's fast shutdown; the workers follow the master. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (process.waitFor(10, TimeUnit.SECONDS)) return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stop it the hard way below, then let the caller see it
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
