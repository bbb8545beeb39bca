package goose.cli;

import goose.config.Config;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --host} and {@code --port} (a picocli mixin of {@code goose server} and {@code goose
 * serve}): the listen address of this start, over GOOSE_HOST / GOOSE_PORT.
 */
final class ListenAddress {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Bind address (default GOOSE_HOST, else 127.0.0.1)")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Listen port (default GOOSE_PORT, else 3000)")
  Integer port;

  /** The command line's configuration with these options over GOOSE_HOST and GOOSE_PORT. */
  Config config(CommandSpec spec) {
    if (port != null && (port < 0 || port > 65_535))
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, got " + port);
    if (host != null && host.isBlank())
      throw new ParameterException(spec.commandLine(), "--host must not be blank");
    GooseCommand goose = GooseCommand.of(spec);
    if (host == null && port == null) return goose.config();
    CliEnvironment env = goose.environment();
    Map<String, String> overrides = new HashMap<>(env.env());
    if (host != null) overrides.put("GOOSE_HOST", host);
    if (port != null) overrides.put("GOOSE_PORT", Integer.toString(port));
    return new CliEnvironment(overrides, env.home(), env.in(), env.out(), env.err()).loadConfig();
  }
}
