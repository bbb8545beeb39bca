package goose.server.extension;

import goose.approval.Redactor;
import goose.extension.ExtensionConfig;
import goose.extension.ExtensionInfo;
import goose.server.http.Doc;
import java.util.List;
import java.util.Optional;

/**
 * One extension as the API shows it. Environment and header VALUES are never shown (they may hold
 * secrets): only their names. Admins (who configure extensions) see the rest as configured; every
 * other user sees it with credentials masked ({@link #forReader}): the password and token of a URL,
 * its query values, secrets in the arguments and in the last error.
 */
@Doc("An extension (MCP server or built-in) and its state")
public record ExtensionView(
    String name,
    @Doc("stdio, streamable_http, sse or builtin") String type,
    String description,
    boolean enabled,
    @Doc("running, stopped or failed") String status,
    @Doc("Why the last start or call failed") Optional<String> lastError,
    @Doc("Tools offered to the model (known once it has run)") int toolCount,
    Optional<String> cmd,
    List<String> args,
    Optional<String> uri,
    @Doc("Names of the environment variables set for a stdio server") List<String> envs,
    @Doc("Secrets resolved into the environment at launch") List<String> envKeys,
    @Doc("Names of the headers sent to a remote server") List<String> headers,
    @Doc("Per-request timeout, seconds") long timeout,
    List<String> availableTools) {

  /** As an admin sees it: as configured (values of envs and headers never shown). */
  static ExtensionView of(ExtensionInfo info) {
    return view(info, false);
  }

  /** As a user who is not an admin sees it: credentials masked. */
  static ExtensionView forReader(ExtensionInfo info, boolean admin) {
    return view(info, !admin);
  }

  private static ExtensionView view(ExtensionInfo info, boolean masked) {
    ExtensionConfig c = info.config();
    Optional<String> cmd = Optional.empty();
    Optional<String> uri = Optional.empty();
    List<String> args = List.of();
    List<String> envs = List.of();
    List<String> envKeys = List.of();
    List<String> headers = List.of();
    switch (c.launch()) {
      case ExtensionConfig.Launch.Stdio s -> {
        cmd = Optional.of(s.cmd());
        args = masked ? Credentials.args(s.cmd(), s.args()) : s.args();
        envs = s.envs().keySet().stream().sorted().toList();
        envKeys = s.envKeys();
      }
      case ExtensionConfig.Launch.StreamableHttp h -> {
        uri = Optional.of(masked ? Credentials.uri(h.uri()) : h.uri().toString());
        headers = h.headers().keySet().stream().sorted().toList();
      }
      case ExtensionConfig.Launch.Sse h -> {
        uri = Optional.of(masked ? Credentials.uri(h.uri()) : h.uri().toString());
        headers = h.headers().keySet().stream().sorted().toList();
      }
      case ExtensionConfig.Launch.Builtin b -> {}
    }
    return new ExtensionView(
        info.name(),
        info.type(),
        info.description(),
        info.enabled(),
        info.status().wireName(),
        masked ? info.lastError().map(Redactor::redactText) : info.lastError(),
        info.toolCount(),
        cmd,
        args,
        uri,
        envs,
        envKeys,
        headers,
        c.timeout().toSeconds(),
        c.availableTools());
  }
}
