package goose.cli;

import goose.config.Config;
import goose.server.GooseServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin ListenAddress listen;

  @Mixin WithBuiltin builtins;

  @Override
  public Integer call() throws InterruptedException {
    Config config = listen.config(spec);
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
