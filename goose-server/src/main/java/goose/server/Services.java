package goose.server;

import goose.acp.agent.AcpServices;
import goose.acp.http.AcpConnections;
import goose.agent.Agent;
import goose.agent.AgentOptions;
import goose.agent.ApprovalGate;
import goose.agent.InstanceIdentity;
import goose.agent.ProviderSource;
import goose.agent.SessionTitles;
import goose.agent.SystemPrompt;
import goose.agent.TurnLeases;
import goose.agent.TurnLimits;
import goose.agent.TurnOwners;
import goose.agent.TurnRecovery;
import goose.agent.TurnService;
import goose.approval.ApprovalSettings;
import goose.approval.Approvals;
import goose.approval.AuditLog;
import goose.builtins.BuiltinServers;
import goose.config.Config;
import goose.event.ClusterSignals;
import goose.event.EventLog;
import goose.extension.ExtensionManager;
import goose.extension.SessionToolbox;
import goose.pricing.PriceTable;
import goose.provider.Provider;
import goose.provider.configured.Providers;
import goose.sandbox.Sandbox;
import goose.sandbox.SandboxSettings;
import goose.server.api.BuildInfo;
import goose.server.api.ServerContext;
import goose.server.api.ServerSettings;
import goose.server.auth.Security;
import goose.server.http.RequestUser;
import goose.server.telemetry.Telemetry;
import goose.server.telemetry.TelemetrySettings;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import goose.user.UserIds;
import goose.user.UserNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the core services of one process: store -> event log -> extensions -> agent -> turn
 * service, and takes them down in the reverse order. Every process on a store cooperates with the
 * others using it — PostgreSQL instances, or on one SQLite file a {@code goose server} and the
 * {@code goose acp} processes of editors: each registers an instance id, leases the turns it runs
 * (its heartbeat takes over turns whose process died: a turn waiting for a tool approval resumes,
 * the others are closed as interrupted), and signals events and cancels to the others
 * (LISTEN/NOTIFY on PostgreSQL, a polled table on SQLite). A starting process never touches another
 * live process's turns.
 */
final class Services {
  private static final Logger log = LoggerFactory.getLogger(Services.class);

  /**
   * How long a turn's lease lasts without renewal on a shared store: the time to take over after a
   * crash.
   */
  static final String LEASE_KEY = "GOOSE_TURN_LEASE";

  static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  /**
   * Whether a turn's owner still exists: in tokens mode a user of the store (read at each check, so
   * a {@code goose users remove} in another process or on another instance is seen), or the local
   * user of a {@code goose acp} process on the same store; in the other modes nobody is removed.
   */
  static TurnOwners owners(Security security) {
    return security
        .users()
        .<TurnOwners>map(users -> owner -> owner.equals(UserNames.LOCAL) || users.existsById(owner))
        .orElse(TurnOwners.ANY);
  }

  static final String INSTANCE_KEY = "GOOSE_INSTANCE_ID";
  static final String TITLES_KEY = "GOOSE_SESSION_TITLES";
  static final String TITLE_MODEL_KEY = "GOOSE_TITLE_MODEL";

  /** What a process is to the store it opens. */
  enum Role {
    /**
     * {@code goose server}: on SQLite it holds the server lock (a second server is refused), and it
     * takes {@code GOOSE_INSTANCE_ID}.
     */
    SERVER,
    /**
     * {@code goose acp}: one per editor window, beside a server and each other; its instance id is
     * always generated (a configured one names the server).
     */
    ACP
  }

  private Services() {}

  static ServerContext open(Config config, ServerSettings settings, Role role) {
    return open(
        config,
        settings,
        Telemetry.open(TelemetrySettings.from(config), BuildInfo.version()),
        role);
  }

  /**
   * A server's: with its security (from {@link #openSecurity}) and the telemetry {@code telemetry}
   * opens, both of which the context then owns (closes; also when this fails).
   */
  static ServerContext open(
      Config config, ServerSettings settings, Supplier<Telemetry> telemetry, Security security) {
    Telemetry opened;
    try {
      opened = telemetry.get();
    } catch (RuntimeException e) {
      security.close();
      throw e;
    }
    return open(config, settings, opened, security, Role.SERVER);
  }

  private static ServerContext open(
      Config config, ServerSettings settings, Telemetry telemetry, Role role) {
    Security security;
    try {
      security = openSecurity(config, settings);
    } catch (RuntimeException e) {
      telemetry.close();
      throw e;
    }
    return open(config, settings, telemetry, security, role);
  }

  /**
   * Who may do what; throws {@link goose.config.ConfigException} for an unsafe or incomplete
   * configuration. Read before the server listens.
   */
  static Security openSecurity(Config config, ServerSettings settings) {
    Security security = Security.open(config, settings.host(), settings.unixSocket().isPresent());
    if (security.auth().unauthenticatedOffLoopback()) {
      log.warn(
          "GOOSE_AUTH is none on {} (GOOSE_ALLOW_UNAUTHENTICATED=true): anyone who can reach this address runs tools as this OS user",
          settings.host());
    }
    return security;
  }

  private static ServerContext open(
      Config config, ServerSettings settings, Telemetry telemetry, Security security, Role role) {
    Sandbox sandbox;
    try {
      sandbox = openSandbox(config, security);
    } catch (RuntimeException e) {
      security.close();
      telemetry.close();
      throw e;
    }
    SessionStore store;
    try {
      store =
          role == Role.SERVER
              ? SessionStores.openForServer(config)
              : SessionStores.openForRunner(config);
    } catch (RuntimeException e) {
      security.close();
      telemetry.close();
      throw e;
    }
    ClusterSignals signals = ClusterSignals.IN_PROCESS;
    Optional<InstanceIdentity> identity = Optional.empty();
    try {
      Duration lease = config.getSeconds(LEASE_KEY, DEFAULT_LEASE);
      // Registered, so that an id names one live process: a lease or a signal never mixes two up.
      identity =
          Optional.of(
              InstanceIdentity.claim(
                  SessionStores.instances(store),
                  role == Role.SERVER ? configuredInstanceId(config) : Optional.empty(),
                  lease.plus(lease)));
      String instanceId = identity.get().id();
      signals = SessionStores.openSignals(config, store, instanceId);
      EventLog events = new EventLog(store, signals);
      Approvals approvals =
          new Approvals(SessionStores.approvals(store), ApprovalSettings.from(config));
      AuditLog audit = SessionStores.audit(store);
      TurnRecovery recovery = new TurnRecovery(store, events, approvals.store());
      // Other processes may be running turns right now: only turns whose lease lapsed (or that a
      // stopping process gave up) are taken over, by the heartbeat.
      TurnLeases leases = TurnLeases.shared(store, identity.get(), lease);
      log.info(
          "instance {} ({}) on the {} store: turn leases of {}",
          instanceId,
          role == Role.SERVER ? "server" : "goose acp",
          SessionStores.engine(store),
          lease);
      // On PostgreSQL, API changes to extensions live in the store so that every replica serves
      // them; on SQLite they go to config.yaml, which every process of this machine reads.
      ExtensionManager extensions =
          new ExtensionManager(
              config,
              BuiltinServers.all(config, store, sandbox),
              sandbox,
              store.shared()
                  ? Optional.of(SessionStores.extensionConfigs(store))
                  : Optional.empty());
      ConfiguredProvider providers = new ConfiguredProvider(config);
      SessionToolbox toolbox = new SessionToolbox(extensions);
      Agent agent =
          new Agent(
              leases.fence(store),
              toolbox,
              SystemPrompt.from(config),
              AgentOptions.from(config),
              audit,
              telemetry.observer(),
              PriceTable.from(config));
      TurnService turns =
          new TurnService(
              store,
              events,
              agent,
              providers,
              ApprovalGate.factory(approvals),
              TurnLimits.from(config, security.auth().mode().multiUser()),
              leases,
              signals,
              titles(config, store, events, providers),
              owners(security));
      signals.listen(
          new ClusterSignals.Listener() {
            @Override
            public void eventAppended(String sessionId, long seq) {
              events.wake(sessionId);
            }

            @Override
            public void cancelRequested(String sessionId) {
              turns.cancelHere(sessionId);
            }

            @Override
            public void resync() {
              events.wakeAll();
            }
          });
      leases.start(
          (turn, leaseMade) -> {
            for (TurnRecovery.SuspendedTurn s : recovery.recover(List.of(turn)))
              if (!turns.resume(s, leaseMade)) recovery.interrupt(s.turn());
          });
      telemetry.watch(store::countSessions, turns::runningCount);
      AcpServices acp =
          new AcpServices(
              config,
              store,
              events,
              turns,
              approvals,
              toolbox,
              providers,
              // ACP knows its users by the id that owns their data (RequestUser.id).
              (userId, cwd) ->
                  security
                      .workspaces()
                      .refusal(new RequestUser(UserIds.nameOf(userId), userId, false), cwd)
                      .ifPresent(
                          why -> {
                            throw new IllegalArgumentException(why);
                          }),
              BuildInfo.version());
      return new ServerContext(
          config,
          settings,
          store,
          events,
          turns,
          extensions,
          security,
          approvals,
          audit,
          telemetry,
          sandbox,
          new AcpConnections(acp));
    } catch (RuntimeException e) {
      signals.close();
      identity.ifPresent(InstanceIdentity::close);
      store.close();
      security.close();
      telemetry.close();
      throw e;
    }
  }

  /**
   * Session titles, unless {@code GOOSE_SESSION_TITLES} is false: by the session's model, or by
   * {@code GOOSE_TITLE_MODEL} of the configured provider.
   */
  private static Optional<SessionTitles> titles(
      Config config, SessionStore store, EventLog events, ConfiguredProvider providers) {
    if (!config.getBoolean(TITLES_KEY, true)) return Optional.empty();
    Optional<String> model =
        config.get(TITLE_MODEL_KEY).map(String::strip).filter(m -> !m.isEmpty());
    return Optional.of(new SessionTitles(store, events, s -> providers.forTitle(s, model)));
  }

  /**
   * The one door for tool processes, fail-closed: where the sandbox must be on and cannot work the
   * start stops here, before the store opens. The start-up log says whether tools are sandboxed.
   */
  private static Sandbox openSandbox(Config config, Security security) {
    var mode = security.auth().mode();
    Sandbox sandbox =
        Sandbox.open(config, SandboxSettings.from(config, mode.wire(), mode.multiUser()));
    if (sandbox.confining() || !mode.multiUser()) log.info("{}", sandbox.describe());
    else
      log.warn(
          "{}; in {} mode every user's tools can read the others' files and this server's"
              + " secrets",
          sandbox.describe(),
          mode.wire());
    return sandbox;
  }

  /** {@code GOOSE_INSTANCE_ID} when set; else {@link InstanceIdentity} generates a random one. */
  static Optional<String> configuredInstanceId(Config config) {
    return config.get(INSTANCE_KEY).map(String::strip).filter(v -> !v.isEmpty());
  }

  /**
   * Stops turns first (their streams end with message_complete), then followers, then extensions,
   * then the store.
   */
  static void beginShutdown(ServerContext context) {
    context.acp().close();
    context.turns().shutdown(Duration.ofSeconds(3));
    context.events().closeAll();
  }

  /**
   * Closes everything, each step even when an earlier one failed (the first failure is thrown, the
   * others suppressed in it). The event log's signals stop before the store they poll: after a
   * failed start no {@link #beginShutdown} stopped them, and they went on polling the closed store.
   */
  static void close(ServerContext context) {
    closeInOrder(
        context.turns()::close, // stops renewing leases once its turns have ended
        () -> context.acp().services().toolbox().close(),
        context.extensions()::close,
        context.events()::closeAll,
        context.sessions()::close,
        context.security()::close,
        context.telemetry()::close);
  }

  private static void closeInOrder(Runnable... steps) {
    RuntimeException failed = null;
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    if (failed != null) throw failed;
  }

  /**
   * The provider of {@code GOOSE_PROVIDER}, built on first use and kept, and those of sessions that
   * chose their own provider or model (kept per choice). Not configured is not fatal at start: the
   * server serves everything else and a turn answers 503 saying what to set, until it is.
   */
  private static final class ConfiguredProvider implements ProviderSource {
    private static final int MAX_CHOICES = 64;
    private final Config config;
    private final Map<List<Optional<String>>, Provider> built = new ConcurrentHashMap<>();

    ConfiguredProvider(Config config) {
      this.config = config;
    }

    @Override
    public Provider configured() {
      return forChoice(Optional.empty(), Optional.empty());
    }

    @Override
    public Provider forSession(Session session) {
      return forChoice(session.provider(), session.model());
    }

    /**
     * The model of a session's title: {@code titleModel} of the configured provider for a session
     * that did not choose its own provider, else the session's own provider and model.
     */
    Provider forTitle(Session session, Optional<String> titleModel) {
      if (titleModel.isPresent() && session.provider().isEmpty())
        return forChoice(Optional.empty(), titleModel);
      return forSession(session);
    }

    private Provider forChoice(Optional<String> provider, Optional<String> model) {
      List<Optional<String>> choice = List.of(provider, model);
      Provider p = built.get(choice);
      if (p != null) return p;
      synchronized (this) {
        if (built.size() >= MAX_CHOICES) built.clear(); // bounded: rebuilt on next use
        return built.computeIfAbsent(choice, c -> Providers.fromConfig(config, provider, model));
      }
    }
  }
}
