package goose.cli;

import goose.config.Config;
import goose.server.GooseServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code goose serve}: goose's name for the server, with goose's flags, so goose desktop and
 * scripts written for {@code goose serve} start this one: {@code --host}, {@code --port} (they
 * override GOOSE_HOST / GOOSE_PORT) and {@code --with-builtin}. The REST API and ACP ({@code /acp})
 * share the port.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the server (REST API and ACP over HTTP/WebSocket at /acp); goose's name for 'goose server'.",
      "Serves until SIGTERM or Ctrl-C (graceful stop, exit code 0)."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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

  @Mixin WithBuiltin builtins;

  @Override
  public Integer call() throws InterruptedException {
    CliEnvironment env = GooseCommand.of(spec).environment();
    Map<String, String> overrides = new HashMap<>(env.env());
    if (host != null) overrides.put("GOOSE_HOST", host);
    if (port != null) overrides.put("GOOSE_PORT", Integer.toString(port));
    Config config =
        host == null && port == null
            ? GooseCommand.of(spec).config()
            : new CliEnvironment(overrides, env.home(), env.in(), env.out(), env.err())
                .loadConfig();
    config.validate();
    StopRequest stop = StopRequest.onTerminate();
    GooseServer server = GooseServer.start(config);
    try (server) {
      builtins.enable(server.extensions());
      stop.started(server::close);
      server.awaitTermination();
    }
    return ExitCodes.OK;
  }
}
