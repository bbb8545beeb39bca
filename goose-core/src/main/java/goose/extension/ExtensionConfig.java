package goose.extension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configured extension, as in goose's {@code config.yaml} under {@code extensions:}. The fields
 * common to every kind are here; how the server is reached is the sealed {@link Launch}. Parse and
 * serialise with {@link ExtensionConfigs}.
 *
 * @param timeout per-request timeout towards the server (goose default 300 s)
 * @param availableTools when non-empty, only these tools (own names) are offered to the model
 */
public record ExtensionConfig(
    String name,
    String description,
    boolean enabled,
    Duration timeout,
    List<String> availableTools,
    Launch launch) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public ExtensionConfig {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    availableTools = availableTools == null ? List.of() : List.copyOf(availableTools);
    Objects.requireNonNull(launch, "launch");
  }

  /** The wire name of the kind: stdio, streamable_http, sse, builtin. */
  public String type() {
    return switch (launch) {
      case Launch.Stdio s -> "stdio";
      case Launch.StreamableHttp h -> "streamable_http";
      case Launch.Sse s -> "sse";
      case Launch.Builtin b -> "builtin";
    };
  }

  public ExtensionConfig withEnabled(boolean on) {
    return new ExtensionConfig(name, description, on, timeout, availableTools, launch);
  }

  /** Whether a tool (own name) passes the {@code available_tools} filter. */
  public boolean offers(String tool) {
    return availableTools.isEmpty() || availableTools.contains(tool);
  }

  /** How the extension's MCP server is reached. */
  public sealed interface Launch {

    /**
     * A local process speaking MCP on stdin/stdout. {@code envKeys} name secrets resolved at
     * launch; their values never appear in the config.
     */
    record Stdio(String cmd, List<String> args, Map<String, String> envs, List<String> envKeys)
        implements Launch {
      public Stdio {
        Objects.requireNonNull(cmd, "cmd");
        args = List.copyOf(args);
        envs = Map.copyOf(envs);
        envKeys = List.copyOf(envKeys);
      }

      /**
       * {@code cmd} and {@code args} joined by single spaces, for messages (the allowlist compares
       * them one by one).
       */
      public String commandLine() {
        return args.isEmpty() ? cmd : cmd + " " + String.join(" ", args);
      }
    }

    /** A remote server over Streamable HTTP. */
    record StreamableHttp(URI uri, Map<String, String> headers) implements Launch {
      public StreamableHttp {
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
      }
    }

    /** A remote server over the legacy HTTP+SSE transport (protocol 2024-11-05). */
    record Sse(URI uri, Map<String, String> headers) implements Launch {
      public Sse {
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
      }
    }

    /** One of the server's own extensions, run in-process. */
    record Builtin() implements Launch {}
  }
}
