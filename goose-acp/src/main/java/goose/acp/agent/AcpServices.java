package goose.acp.agent;

import goose.agent.ProviderSource;
import goose.agent.TurnService;
import goose.approval.Approvals;
import goose.config.Config;
import goose.event.EventLog;
import goose.extension.SessionToolbox;
import goose.session.SessionStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the ACP face works with: the same store, event log, turn service, approvals and extensions
 * the REST face uses, so both serve one set of sessions.
 *
 * @param providers the provider of each session (its own choice, else the server's)
 * @param workspaces checks a new session's real working directory for its user (the server's {@code
 *     GOOSE_WORKSPACES_ROOT}); throws {@link IllegalArgumentException} saying why not
 * @param version this server's version, sent as {@code agentInfo.version}
 */
public record AcpServices(
    Config config,
    SessionStore sessions,
    EventLog events,
    TurnService turns,
    Approvals approvals,
    SessionToolbox toolbox,
    ProviderSource providers,
    Workspaces workspaces,
    String version) {

  public AcpServices {
    Objects.requireNonNull(config);
    Objects.requireNonNull(sessions);
    Objects.requireNonNull(events);
    Objects.requireNonNull(turns);
    Objects.requireNonNull(approvals);
    Objects.requireNonNull(toolbox);
    Objects.requireNonNull(providers);
    Objects.requireNonNull(workspaces);
    Objects.requireNonNull(version);
  }

  /** Where a user's sessions may work. */
  @FunctionalInterface
  public interface Workspaces {
    Workspaces ANYWHERE = (user, realCwd) -> {};

    void check(String user, Path realCwd);
  }
}
