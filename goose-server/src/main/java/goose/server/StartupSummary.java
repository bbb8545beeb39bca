package goose.server;

import goose.config.Config;
import goose.server.api.ServerContext;
import goose.session.SessionStores;

/**
 * What is in force, said once in the start-up line so that an operator sees it without asking:
 * which store (a blank GOOSE_DATABASE_URL is SQLite), provider, model, auth mode and sandbox.
 */
record StartupSummary(String store, String provider, String model, String auth, String sandbox) {

  static StartupSummary of(ServerContext context) {
    Config config = context.config();
    return new StartupSummary(
        SessionStores.describe(config),
        config.get("GOOSE_PROVIDER").filter(v -> !v.isBlank()).orElse("none (set GOOSE_PROVIDER)"),
        config.get("GOOSE_MODEL").filter(v -> !v.isBlank()).orElse("provider default"),
        context.security().auth().mode().wire(),
        sandboxState(context.sandbox()));
  }

  /** Whether tools run in the bubblewrap sandbox (its own start-up line says more). */
  private static String sandboxState(goose.sandbox.Sandbox sandbox) {
    if (!sandbox.confining()) return "off";
    return sandbox.settings().network() ? "on" : "on (no network)";
  }

  @Override
  public String toString() {
    return "store "
        + store
        + ", provider "
        + provider
        + ", model "
        + model
        + ", auth "
        + auth
        + ", sandbox "
        + sandbox;
  }
}
