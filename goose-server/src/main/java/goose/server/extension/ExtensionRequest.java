package goose.server.extension;

import goose.server.http.Doc;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code POST /extensions}: one extension configuration, with goose's field names. */
@Doc("An extension configuration, as under extensions: in goose's config.yaml")
public record ExtensionRequest(
    @Doc("Unique name: letters, digits, - and _") String name,
    @Doc("stdio, streamable_http, sse or builtin") String type,
    @Doc("Default true") Optional<Boolean> enabled,
    Optional<String> description,
    @Doc("stdio: the program to run (never through a shell)") Optional<String> cmd,
    @Doc("stdio: its arguments") Optional<List<String>> args,
    @Doc("stdio: environment variables (PATH, LD_PRELOAD, NODE_OPTIONS, ... are refused)")
        Optional<Map<String, String>> envs,
    @Doc("stdio: names of secrets put into the environment at launch")
        Optional<List<String>> envKeys,
    @Doc("streamable_http / sse: the server URL") Optional<String> uri,
    @Doc("streamable_http / sse: headers sent with every request")
        Optional<Map<String, String>> headers,
    @Doc("Per-request timeout in seconds (default 300)") Optional<Long> timeout,
    @Doc("Only these tools are offered to the model (all when absent)")
        Optional<List<String>> availableTools) {}
