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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The operator's list of extensions that may be launched ({@code GOOSE_ALLOWLIST}: an http(s) URL
 * or a file path to YAML {@code extensions: [{id, command, env}]}), and the launch rules that hold
 * with or without one.
 *
 * <ul>
 *   <li>A stdio extension passes only if {@code cmd} and {@code args}, one by one, equal an entry's
 *       {@code command} exactly (so an argument with a space in it never matches two words of the
 *       entry), and every variable it sets ({@code envs}) or fills from a secret ({@code env_keys})
 *       is named in that entry's {@code env} list: the list covers the whole launch, not just the
 *       program. The command is then started directly, never through a shell. ({@code cmd} is
 *       always one program, see {@link ProgramNames}.)
 *   <li>Without a list, any stdio command may be added by an admin, but variables that change how a
 *       program loads code ({@link EnvNames#loadsCode}: {@code NODE_OPTIONS}, {@code npm_config_*},
 *       {@code PYTHON*}, {@code LD_*}, ...) are refused: only an allowlist entry that names one
 *       permits it.
 *   <li>A bare program name ({@code npx}) is refused while the server's {@code PATH} has a relative
 *       entry ({@code .}, empty): it would be looked up in the process's working directory.
 *   <li>A remote (Streamable HTTP / SSE) extension starts no local program, so, as in goose, the
 *       command list does not restrict it. An operator who wants to restrict remote servers too
 *       adds entries with {@code uri}: as soon as one exists, a remote extension passes only if its
 *       URL equals an entry's {@code uri} exactly. A remote server a user (not an admin) gives
 *       (ACP's {@code mcpServers}) may not reach loopback, private or link-local addresses unless
 *       an entry's {@code uri} names it ({@link UserRemotes}).
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

  /**
   * One allowed entry; exactly one of command / uri is set. {@code command} is the program and its
   * arguments, one by one (written in the list as words separated by spaces, or as a YAML list when
   * an argument contains a space). {@code env} names the variables a stdio extension of this
   * command may set or fill from secrets (none when the entry lists none).
   */
  public record Entry(
      String id, Optional<List<String>> command, Optional<String> uri, Set<String> env) {
    public Entry {
      command = command.map(List::copyOf);
      env = Set.copyOf(env);
    }
  }

  private final Optional<String> source;
  private final Clock clock;
  private final String pathVariable;
  private final Optional<HttpClient> http; // only for a list read over HTTP
  private @Nullable List<Entry> cached;
  private Instant cachedAt = Instant.MIN;

  private Allowlist(Optional<String> source, Clock clock, String pathVariable) {
    this.source = source;
    this.clock = clock;
    this.pathVariable = pathVariable;
    this.http =
        source.map(s -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  /** No restriction. */
  public static Allowlist none() {
    return new Allowlist(Optional.empty(), Clock.systemUTC(), serverPath());
  }

  /** A list read from this URL or file. */
  public static Allowlist of(String source) {
    return new Allowlist(Optional.of(source), Clock.systemUTC(), serverPath());
  }

  /** As {@link #none()} or {@link #of}, for a server whose PATH is {@code pathVariable} (tests). */
  static Allowlist withPath(Optional<String> source, String pathVariable) {
    return new Allowlist(source, Clock.systemUTC(), pathVariable);
  }

  private static String serverPath() {
    return Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
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
    switch (config.launch()) {
      case Launch.Builtin b -> {}
      case Launch.Stdio s -> checkStdio(config.name(), s);
      case Launch.StreamableHttp h -> {
        if (source.isPresent()) checkUri(config.name(), h.uri());
      }
      case Launch.Sse h -> {
        if (source.isPresent()) checkUri(config.name(), h.uri());
      }
    }
  }

  private void checkStdio(String name, Launch.Stdio s) {
    ProgramNames.check(s.cmd());
    if (!s.cmd().contains("/")) {
      List<String> relative = ProgramNames.relativeEntries(pathVariable);
      if (!relative.isEmpty())
        throw new ExtensionException.NotAllowed(
            "extension '"
                + name
                + "': the server's PATH has relative entries "
                + relative.stream().map(e -> "'" + e + "'").toList()
                + ", so the program '"
                + s.cmd()
                + "' could be found in a working directory: give its absolute path, or remove those entries from PATH");
    }
    Set<String> variables = new LinkedHashSet<>(s.envs().keySet());
    variables.addAll(s.envKeys());
    if (source.isEmpty()) {
      for (String v : variables) {
        if (EnvNames.loadsCode(v))
          throw new ExtensionException.Invalid(
              s.envs().containsKey(v) ? "envs." + v : "env_keys",
              "setting "
                  + v
                  + " is not allowed: it can change which program runs or how it loads code"
                  + " (an entry of the extension allowlist, GOOSE_ALLOWLIST, that names it can permit it)");
      }
      return;
    }
    String commandLine = s.commandLine();
    List<String> argv = new ArrayList<>();
    argv.add(s.cmd());
    argv.addAll(s.args());
    List<Entry> matching =
        entries().stream().filter(e -> e.command().filter(argv::equals).isPresent()).toList();
    if (matching.isEmpty()) {
      throw new ExtensionException.NotAllowed(
          "extension '"
              + name
              + "': the command '"
              + commandLine
              + "' is not in the extension allowlist (it must equal an allowed command exactly, arguments included)");
    }
    for (Entry e : matching) if (e.env().containsAll(variables)) return;
    Set<String> missing = new LinkedHashSet<>(variables);
    missing.removeAll(matching.getFirst().env());
    throw new ExtensionException.NotAllowed(
        "extension '"
            + name
            + "': the extension allowlist allows the command '"
            + commandLine
            + "' but not the variables "
            + missing
            + " (an entry permits only the variables it names under env:)");
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

  /**
   * Whether an entry's {@code uri} is exactly this URL: the operator has named the server, so the
   * address rules for user-supplied servers ({@link UserRemotes}) do not apply to it. False without
   * a list.
   */
  boolean namesUri(URI uri) {
    if (source.isEmpty()) return false;
    String url = uri.toString();
    return entries().stream().anyMatch(e -> e.uri().filter(url::equals).isPresent());
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
      Optional<List<String>> command = argv(e.get("command"), i, id);
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
      entries.add(new Entry(id, command, uri, envNames(e.get("env"), i, id)));
    }
    return List.copyOf(entries);
  }

  /**
   * An entry's {@code command}: words separated by whitespace, or a list of strings (exact argv);
   * empty when absent.
   */
  private Optional<List<String>> argv(JsonNode command, int index, String id) {
    if (command == null || command.isNull()) return Optional.empty();
    if (command.isTextual()) {
      String text = command.asText().strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(List.of(text.split("\\s+")));
    }
    String entry = "entry " + index + (id.isEmpty() ? "" : " (" + id + ")");
    if (!command.isArray() || command.isEmpty())
      throw refuseAll(entry + ": 'command' must be a string or a list of strings");
    List<String> argv = new ArrayList<>();
    for (JsonNode word : command) {
      if (!word.isTextual())
        throw refuseAll(entry + ": 'command' must be a string or a list of strings");
      argv.add(word.asText());
    }
    return Optional.of(argv);
  }

  /** An entry's {@code env:} list of variable names; a malformed one refuses the whole list. */
  private Set<String> envNames(JsonNode env, int index, String id) {
    if (env == null || env.isNull()) return Set.of();
    String entry = "entry " + index + (id.isEmpty() ? "" : " (" + id + ")");
    if (!env.isArray()) throw refuseAll(entry + ": 'env' must be a list of variable names");
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode n : env) {
      if (!n.isTextual()) throw refuseAll(entry + ": 'env' must be a list of variable names");
      try {
        EnvNames.check("env", n.asText());
      } catch (ExtensionException.Invalid bad) {
        throw refuseAll(entry + ": " + bad.getMessage());
      }
      names.add(n.asText());
    }
    return names;
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
