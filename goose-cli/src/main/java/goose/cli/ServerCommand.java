package goose.cli;

import goose.config.Config;
import goose.server.GooseServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code goose server} (what {@code bin/goosed} runs): serve until SIGTERM or Ctrl-C, then exit 0.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Start the goosed HTTP server and serve until SIGTERM or Ctrl-C (graceful stop, exit code 0).",
      "Listens on --host:--port, else GOOSE_HOST:GOOSE_PORT (default 127.0.0.1:3000); see 'goose"
          + " configure list'."
    })
public final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ListenAddress listen;

  @Override
  public Integer call() throws InterruptedException {
    return serve(listen.config(spec));
  }

  /**
   * Serves with this configuration until stopped; {@link Main} calls it for a bare {@code server}.
   */
  static int serve(Config config) throws InterruptedException {
    config.validate();
    StopRequest stop = StopRequest.onTerminate();
    GooseServer server = GooseServer.start(config);
    try (server) {
      stop.started(server::close);
      server.awaitTermination();
    }
    return ExitCodes.OK;
  }
}
