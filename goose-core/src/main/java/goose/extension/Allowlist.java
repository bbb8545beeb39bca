package goose.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import goose.config.Config;
import goose.extension.ExtensionConfig.Launch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operator's list of extensions that may be launched ({@code GOOSE_ALLOWLIST}: an http(s) URL
 * or a file path to YAML {@code extensions: [{id, command}]}).
 *
 * <ul>
 *   <li>A stdio extension passes only if {@code cmd} and {@code args} joined by single spaces equal
 *       an entry's {@code command} exactly. The command is then started directly, never through a
 *       shell.
 *   <li>A remote (Streamable HTTP / SSE) extension starts no local program, so, as in goose, the
 *       command list does not restrict it. An operator who wants to restrict remote servers too
 *       adds entries with {@code uri}: as soon as one exists, a remote extension passes only if its
 *       URL equals an entry's {@code uri} exactly.
 *   <li>If the list cannot be fetched or parsed, every stdio and remote extension is refused (fail
 *       closed) with the reason. Built-ins are the server's own code and always pass.
 *   <li>{@code GOOSE_ALLOWLIST_BYPASS=true} turns the check off.
 * </ul>
 *
 * A loaded list is cached for {@link #CACHE_FOR}; a failed load is retried on the next check.
 */
public final class Allowlist {
  public static final Duration CACHE_FOR = Duration.ofMinutes(1);
  private static final int MAX_BYTES = 1 << 20;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One allowed entry; exactly one of command / uri is set. */
  public record Entry(String id, Optional<String> command, Optional<String> uri) {}

  private final Optional<String> source;
  private final Clock clock;
  private final Optional<HttpClient> http; // only for a list read over HTTP
  private @Nullable List<Entry> cached;
  private Instant cachedAt = Instant.MIN;

  private Allowlist(Optional<String> source, Clock clock) {
    this.source = source;
    this.clock = clock;
    this.http =
        source.map(s -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  /** No restriction. */
  public static Allowlist none() {
    return new Allowlist(Optional.empty(), Clock.systemUTC());
  }

  /** A list read from this URL or file. */
  public static Allowlist of(String source) {
    return new Allowlist(Optional.of(source), Clock.systemUTC());
  }

  /**
   * From {@code GOOSE_ALLOWLIST} and {@code GOOSE_ALLOWLIST_BYPASS} (environment, then
   * config.yaml).
   */
  public static Allowlist fromConfig(Config config) {
    if (config.getBoolean("GOOSE_ALLOWLIST_BYPASS", false)) return none();
    return config
        .get("GOOSE_ALLOWLIST")
        .filter(s -> !s.isBlank())
        .map(String::trim)
        .map(Allowlist::of)
        .orElse(none());
  }

  public boolean active() {
    return source.isPresent();
  }

  /**
   * Throws {@link ExtensionException.NotAllowed} with the reason when {@code config} may not run.
   */
  public void check(ExtensionConfig config) {
    if (source.isEmpty()) return;
    switch (config.launch()) {
      case Launch.Builtin b -> {}
      case Launch.Stdio s -> checkCommand(config.name(), s.commandLine());
      case Launch.StreamableHttp h -> checkUri(config.name(), h.uri());
      case Launch.Sse h -> checkUri(config.name(), h.uri());
    }
  }

  private void checkCommand(String name, String commandLine) {
    List<Entry> entries = entries();
    for (Entry e : entries) {
      if (e.command().filter(commandLine::equals).isPresent()) return;
    }
    throw new ExtensionException.NotAllowed(
        "extension '"
            + name
            + "': the command '"
            + commandLine
            + "' is not in the extension allowlist (it must equal an allowed command exactly, arguments included)");
  }

  private void checkUri(String name, URI uri) {
    List<Entry> entries = entries();
    if (entries.stream().noneMatch(e -> e.uri().isPresent())) return;
    for (Entry e : entries) {
      if (e.uri().filter(uri.toString()::equals).isPresent()) return;
    }
    throw new ExtensionException.NotAllowed(
        "extension '" + name + "': the URL '" + uri + "' is not in the extension allowlist");
  }

  /** The current entries, loading them when the cache is stale; fails closed. */
  public synchronized List<Entry> entries() {
    if (source.isEmpty()) return List.of();
    Instant now = clock.instant();
    if (cached != null && now.isBefore(cachedAt.plus(CACHE_FOR))) return cached;
    String text;
    try {
      text = read(source.get());
    } catch (IOException | RuntimeException e) {
      throw refuseAll("could not be read: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refuseAll("was not read: interrupted");
    }
    cached = parse(text);
    cachedAt = now;
    return cached;
  }

  private List<Entry> parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw refuseAll("is not valid YAML: " + describe(e));
    }
    JsonNode list = root == null ? null : root.get("extensions");
    if (list == null || !list.isArray()) throw refuseAll("has no 'extensions:' list");
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      String id = e.path("id").asText("");
      Optional<String> command =
          e.hasNonNull("command") && e.get("command").isTextual()
              ? Optional.of(e.get("command").asText().trim())
              : Optional.empty();
      Optional<String> uri =
          e.hasNonNull("uri") && e.get("uri").isTextual()
              ? Optional.of(e.get("uri").asText().trim())
              : Optional.empty();
      if (command.isEmpty() && uri.isEmpty())
        throw refuseAll(
            "entry "
                + i
                + (id.isEmpty() ? "" : " (" + id + ")")
                + " has neither 'command' nor 'uri'");
      entries.add(new Entry(id, command, uri));
    }
    return List.copyOf(entries);
  }

  private String read(String where) throws IOException, InterruptedException {
    String lower = where.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(where)).timeout(Duration.ofSeconds(15)).GET().build();
      HttpResponse<byte[]> response =
          http.orElseThrow().send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200)
        throw new IOException("HTTP status " + response.statusCode());
      if (response.body().length > MAX_BYTES)
        throw new IOException("larger than " + MAX_BYTES + " bytes");
      return new String(response.body(), StandardCharsets.UTF_8);
    }
    Path path = Path.of(where);
    if (Files.size(path) > MAX_BYTES) throw new IOException("larger than " + MAX_BYTES + " bytes");
    return Files.readString(path);
  }

  private ExtensionException.NotAllowed refuseAll(String why) {
    return new ExtensionException.NotAllowed(
        "the extension allowlist (GOOSE_ALLOWLIST="
            + source.orElse("")
            + ") "
            + why
            + "; extensions other than built-ins are refused until it can be loaded");
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    String first = m == null ? "" : m.lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
  }
}
