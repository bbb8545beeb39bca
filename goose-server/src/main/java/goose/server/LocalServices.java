package goose.server;

import goose.acp.agent.AcpServices;
import goose.config.Config;
import goose.extension.ExtensionManager;
import goose.server.api.ServerContext;
import goose.server.api.ServerSettings;
import goose.server.logging.LogSetup;

/**
 * The server's services without its HTTP listener: the same store, providers, extensions, approvals
 * and turn rules, for a face that is not HTTP ({@code goose acp} on stdio). On SQLite it shares the
 * store with a running server and other {@code goose acp} processes (it does not take the server
 * lock; turn leases and signals coordinate them). Logs go to stderr and the log file, never stdout.
 * Closed like the server: turns stop first, then the rest.
 */
public final class LocalServices implements AutoCloseable {
  private final ServerContext context;

  private LocalServices(ServerContext context) {
    this.context = context;
  }

  /** Opens them; throws {@link goose.config.ConfigException} on bad settings. */
  public static LocalServices open(Config config) {
    LogSetup.configure(config);
    ServerSettings listening = ServerSettings.from(config);
    // Nothing listens: the local user's process on loopback, whatever GOOSE_HOST says.
    ServerSettings local =
        new ServerSettings(
            "127.0.0.1",
            0,
            listening.maxBodyBytes(),
            java.util.Optional.empty(),
            listening.headerTimeout(),
            listening.shutdownIdle());
    return new LocalServices(Services.open(config, local, Services.Role.ACP));
  }

  public AcpServices acp() {
    return context.acp().services();
  }

  public ExtensionManager extensions() {
    return context.extensions();
  }

  @Override
  public void close() {
    try {
      Services.beginShutdown(context);
    } finally {
      Services.close(context);
    }
  }
}
