package goose.config;

import java.util.List;
import java.util.Optional;

/**
 * A setting the server knows about, with its default and whether it is a secret. Settings not
 * listed here still work (any key can be read); this list is what {@code goose configure list}
 * always shows.
 */
public record ConfigKey(
    String name, Optional<String> defaultValue, boolean secret, String description) {

  public static final ConfigKey HOST = of("GOOSE_HOST", "127.0.0.1", "Bind address");
  public static final ConfigKey PORT = of("GOOSE_PORT", "3000", "Listen port");
  public static final ConfigKey PROVIDER =
      none("GOOSE_PROVIDER", "LLM provider (anthropic, openai, ollama, google, ...)");
  public static final ConfigKey MODEL =
      none("GOOSE_MODEL", "Model name (provider default when unset)");
  public static final ConfigKey API_TIMEOUT =
      of("api_timeout", "60", "Seconds without a byte from the provider before giving up");
  public static final ConfigKey MAX_RETRIES =
      of("max_retries", "3", "Retries of a failed provider request");
  public static final ConfigKey MAX_BODY_BYTES =
      of("GOOSE_MAX_BODY_BYTES", "10485760", "Largest accepted request body, in bytes");
  public static final ConfigKey LOG =
      none("GOOSE_LOG", "Log filter, goose syntax: info,goose=debug (RUST_LOG also read)");
  public static final ConfigKey LOG_FORMAT = of("GOOSE_LOG_FORMAT", "text", "text or json");
  public static final ConfigKey ANTHROPIC_API_KEY =
      secret("ANTHROPIC_API_KEY", "Anthropic API key");
  public static final ConfigKey OPENAI_API_KEY = secret("OPENAI_API_KEY", "OpenAI API key");
  public static final ConfigKey GOOGLE_API_KEY = secret("GOOGLE_API_KEY", "Google Gemini API key");

  /** A secret because the URL may carry the database password. */
  public static final ConfigKey DATABASE_URL =
      secret(
          "GOOSE_DATABASE_URL",
          "PostgreSQL URL postgresql://user:pass@host:5432/db (unset: SQLite in the data dir)");

  // Authentication, isolation and limits (docs/auth.md).
  public static final ConfigKey AUTH =
      none(
          "GOOSE_AUTH",
          "none, secret, tokens or proxy (unset: secret when GOOSE_SERVER__SECRET_KEY is set, else none)");
  public static final ConfigKey SECRET_KEY =
      secret(
          "GOOSE_SERVER__SECRET_KEY",
          "secret mode: the X-Secret-Key every request must send (16+ characters)");
  public static final ConfigKey ALLOW_UNAUTHENTICATED =
      of("GOOSE_ALLOW_UNAUTHENTICATED", "false", "Allow GOOSE_AUTH=none on a non-loopback address");
  public static final ConfigKey PROXY_USER_HEADER =
      of("GOOSE_PROXY_USER_HEADER", "X-Remote-User", "proxy mode: header naming the user");
  public static final ConfigKey TRUSTED_PROXIES =
      none("GOOSE_TRUSTED_PROXIES", "proxy mode: comma-separated IPs/CIDRs of the proxies");
  public static final ConfigKey ADMIN_USERS =
      none("GOOSE_ADMIN_USERS", "proxy mode: comma-separated user names who administer");
  public static final ConfigKey WORKSPACES_ROOT =
      none("GOOSE_WORKSPACES_ROOT", "A session's cwd must lie in <root>/<user>/");
  public static final ConfigKey CORS_ORIGINS =
      none(
          "GOOSE_CORS_ORIGINS",
          "Comma-separated exact origins allowed cross-origin (unset: CORS off)");
  public static final ConfigKey RATE_LIMIT =
      of("GOOSE_RATE_LIMIT", "50", "Requests per second per user (0: no limit)");
  public static final ConfigKey RATE_BURST =
      of("GOOSE_RATE_BURST", "200", "Requests a user may send at once above the rate");
  public static final ConfigKey MAX_TURNS_PER_USER =
      none(
          "GOOSE_MAX_TURNS_PER_USER",
          "Turns one user may have running at once (unset: 4 in tokens/proxy mode, no cap in none/secret)");
  public static final ConfigKey MAX_RUNNING_TURNS =
      none(
          "GOOSE_MAX_RUNNING_TURNS",
          "Turns this server runs at once, all users together (unset: 64 per processor, at least 128)");
  public static final ConfigKey ALLOWED_HOSTS =
      none(
          "GOOSE_ALLOWED_HOSTS",
          "Comma-separated host[:port] names clients use, besides loopback (DNS-rebinding guard)");
  public static final ConfigKey UNIX_SOCKET =
      none(
          "GOOSE_UNIX_SOCKET",
          "Listen on this Unix domain socket (mode 0660) instead of GOOSE_HOST:GOOSE_PORT");
  public static final ConfigKey MAX_STREAMS_PER_USER =
      of("GOOSE_MAX_STREAMS_PER_USER", "32", "Event streams one user may have open at once");
  public static final ConfigKey HEADER_TIMEOUT =
      of(
          "GOOSE_HEADER_TIMEOUT",
          "10",
          "Seconds a client may take to send a request's headers before it is cut off");
  public static final ConfigKey SHUTDOWN_IDLE_MS =
      of(
          "GOOSE_SHUTDOWN_IDLE_MS",
          "2000",
          "While the server stops, milliseconds after which a silent connection is cut");

  // The tool sandbox (docs/sandbox.md).
  public static final ConfigKey SANDBOX =
      of(
          "GOOSE_SANDBOX",
          "auto",
          "auto (on in tokens and proxy modes), on or off: run tools in a bubblewrap sandbox");
  public static final ConfigKey SANDBOX_NETWORK =
      of("GOOSE_SANDBOX_NETWORK", "on", "Network inside the sandbox: on or off");
  public static final ConfigKey BWRAP =
      none("GOOSE_BWRAP", "Path of the bwrap program (unset: bwrap on PATH)");
  public static final ConfigKey SANDBOX_READ_ONLY =
      none("GOOSE_SANDBOX_READ_ONLY", "Comma-separated extra paths shown read-only in the sandbox");
  public static final ConfigKey SANDBOX_HIDE =
      none("GOOSE_SANDBOX_HIDE", "Comma-separated extra paths hidden from the sandbox");
  public static final ConfigKey SANDBOX_MAX_PROCESSES =
      of("GOOSE_SANDBOX_MAX_PROCESSES", "1024", "Processes and threads one sandbox may run");
  public static final ConfigKey SANDBOX_MAX_MEMORY_MB =
      of("GOOSE_SANDBOX_MAX_MEMORY_MB", "4096", "Writable memory of each sandboxed process, MiB");
  public static final ConfigKey SANDBOX_MAX_TMP_MB =
      of("GOOSE_SANDBOX_MAX_TMP_MB", "1024", "Size of a sandbox's private /tmp, MiB");
  public static final ConfigKey SANDBOX_MAX_OUTPUT_BYTES =
      of("GOOSE_SANDBOX_MAX_OUTPUT_BYTES", "65536", "Shell output kept per call (head and tail)");
  public static final ConfigKey SANDBOX_EXTENSION_IDLE =
      of(
          "GOOSE_SANDBOX_EXTENSION_IDLE",
          "600",
          "Seconds before an idle per-workspace stdio extension is stopped");
  public static final ConfigKey SANDBOX_EXTENSIONS_PER_USER =
      of(
          "GOOSE_SANDBOX_EXTENSIONS_PER_USER",
          "16",
          "Sandboxed stdio extension processes one user may have running");

  // What the model is sent (docs/agent.md).
  public static final ConfigKey MAX_OUTPUT_TOKENS =
      none(
          "GOOSE_MAX_OUTPUT_TOKENS",
          "max_tokens of every model call (unset: the model's documented maximum)");
  public static final ConfigKey PROMPT_CACHING =
      of("GOOSE_PROMPT_CACHING", "true", "Prompt-cache hints in every request (Anthropic, OpenAI)");
  public static final ConfigKey SYSTEM_PROMPT_FILE =
      none("GOOSE_SYSTEM_PROMPT_FILE", "A file appended to every system prompt");
  public static final ConfigKey SESSION_TITLES =
      of("GOOSE_SESSION_TITLES", "true", "Title unnamed sessions after their first exchange");
  public static final ConfigKey TITLE_MODEL =
      none("GOOSE_TITLE_MODEL", "Model for session titles (unset: GOOSE_MODEL)");
  public static final ConfigKey MODEL_PRICES =
      none(
          "GOOSE_MODEL_PRICES",
          "JSON {model: {input, output, cache_read, cache_write}} in USD per million tokens");

  // Read where they are used (approvals, agent, store, cluster, telemetry, extensions); listed here
  // so that `goose configure list` shows them and the docs test knows them.
  public static final ConfigKey MODE =
      of("GOOSE_MODE", "auto", "Tool approval mode: auto, approve, smart_approve or chat");
  public static final ConfigKey APPROVAL_TIMEOUT =
      of("GOOSE_APPROVAL_TIMEOUT", "600", "Seconds a tool call waits for approval before denial");
  public static final ConfigKey MAX_TURNS =
      of("GOOSE_MAX_TURNS", "1000", "Model round trips one turn may take");
  public static final ConfigKey CONTEXT_LIMIT =
      none("GOOSE_CONTEXT_LIMIT", "Context window in tokens (unset: the model's known limit)");
  public static final ConfigKey DATABASE_POOL_SIZE =
      of("GOOSE_DATABASE_POOL_SIZE", "10", "PostgreSQL connections per server");
  public static final ConfigKey INSTANCE_ID =
      none("GOOSE_INSTANCE_ID", "This server's id on a shared store (unset: generated)");
  public static final ConfigKey TURN_LEASE =
      of("GOOSE_TURN_LEASE", "10", "Seconds a turn's lease lasts on a shared store");
  public static final ConfigKey DISABLE_TELEMETRY =
      of("GOOSE_DISABLE_TELEMETRY", "false", "true: no traces and no /metrics");
  public static final ConfigKey ALLOWLIST =
      none("GOOSE_ALLOWLIST", "URL or path of the extension allowlist (unset: any extension)");
  public static final ConfigKey ALLOWLIST_BYPASS =
      of("GOOSE_ALLOWLIST_BYPASS", "false", "true: ignore GOOSE_ALLOWLIST");

  public static final List<ConfigKey> KNOWN =
      List.of(
          HOST,
          PORT,
          PROVIDER,
          MODEL,
          API_TIMEOUT,
          MAX_RETRIES,
          MAX_BODY_BYTES,
          LOG,
          LOG_FORMAT,
          ANTHROPIC_API_KEY,
          OPENAI_API_KEY,
          GOOGLE_API_KEY,
          DATABASE_URL,
          AUTH,
          SECRET_KEY,
          ALLOW_UNAUTHENTICATED,
          PROXY_USER_HEADER,
          TRUSTED_PROXIES,
          ADMIN_USERS,
          WORKSPACES_ROOT,
          CORS_ORIGINS,
          RATE_LIMIT,
          RATE_BURST,
          MAX_TURNS_PER_USER,
          ALLOWED_HOSTS,
          UNIX_SOCKET,
          MAX_STREAMS_PER_USER,
          HEADER_TIMEOUT,
          SHUTDOWN_IDLE_MS,
          MAX_RUNNING_TURNS,
          SANDBOX,
          SANDBOX_NETWORK,
          BWRAP,
          SANDBOX_READ_ONLY,
          SANDBOX_HIDE,
          SANDBOX_MAX_PROCESSES,
          SANDBOX_MAX_MEMORY_MB,
          SANDBOX_MAX_TMP_MB,
          SANDBOX_MAX_OUTPUT_BYTES,
          SANDBOX_EXTENSION_IDLE,
          SANDBOX_EXTENSIONS_PER_USER,
          MAX_OUTPUT_TOKENS,
          PROMPT_CACHING,
          SYSTEM_PROMPT_FILE,
          SESSION_TITLES,
          TITLE_MODEL,
          MODEL_PRICES,
          MODE,
          APPROVAL_TIMEOUT,
          MAX_TURNS,
          CONTEXT_LIMIT,
          DATABASE_POOL_SIZE,
          INSTANCE_ID,
          TURN_LEASE,
          DISABLE_TELEMETRY,
          ALLOWLIST,
          ALLOWLIST_BYPASS);

  static ConfigKey of(String name, String defaultValue, String description) {
    return new ConfigKey(name, Optional.of(defaultValue), false, description);
  }

  static ConfigKey none(String name, String description) {
    return new ConfigKey(name, Optional.empty(), false, description);
  }

  static ConfigKey secret(String name, String description) {
    return new ConfigKey(name, Optional.empty(), true, description);
  }

  /**
   * Keys whose name says they hold a secret, known or not: {@code *_KEY}, {@code *_TOKEN}, {@code
   * *SECRET*}, {@code *PASSWORD*}. Counters such as {@code GOOSE_MAX_TOKENS} are not secrets.
   */
  public static boolean looksSecret(String key) {
    String k = key.toUpperCase(java.util.Locale.ROOT);
    return k.endsWith("_KEY")
        || k.endsWith("_TOKEN")
        || k.contains("SECRET")
        || k.contains("PASSWORD");
  }
}
