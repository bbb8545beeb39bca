package goose.agent;

import goose.approval.AuditLog;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.error.ErrorMessages;
import goose.event.TurnEvent;
import goose.ids.Ids;
import goose.provider.Provider;
import goose.provider.ProviderException;
import goose.provider.ProviderRequest;
import goose.provider.ProviderStream;
import goose.session.Session;
import goose.session.SessionStore;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop of one turn: send the agent's view of the conversation to the provider, relay the
 * streamed reply, run the tool calls it asks for (concurrently), send the results back, until the
 * model ends its turn or {@code max_turns} provider calls were made. Every message is persisted as
 * soon as it is complete; the partial text of a cancelled or failed call is kept, marked
 * interrupted.
 *
 * <p>A failure ends the loop with an {@code error} event; the caller closes the turn with the
 * {@code message_complete} event built from the returned {@link Outcome}.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final SessionStore store;
  private final Toolbox toolbox;
  private final SystemPrompt systemPrompt;
  private final AgentOptions options;
  private final Compactor compactor;
  private final ToolAudit audit;
  private final TurnObserver observer;

  /**
   * @param audit where every tool call is recorded
   * @param observer sees each turn, provider call and event (metrics, traces)
   */
  public Agent(
      SessionStore store,
      Toolbox toolbox,
      SystemPrompt systemPrompt,
      AgentOptions options,
      AuditLog audit,
      TurnObserver observer) {
    this.store = store;
    this.toolbox = toolbox;
    this.systemPrompt = systemPrompt;
    this.options = options;
    this.compactor = new Compactor(store);
    this.audit = new ToolAudit(audit);
    this.observer = observer;
  }

  public Agent(
      SessionStore store,
      Toolbox toolbox,
      SystemPrompt systemPrompt,
      AgentOptions options,
      AuditLog audit) {
    this(store, toolbox, systemPrompt, options, audit, TurnObserver.NONE);
  }

  public Agent(
      SessionStore store,
      Toolbox toolbox,
      SystemPrompt systemPrompt,
      AgentOptions options,
      TurnObserver observer) {
    this(store, toolbox, systemPrompt, options, AuditLog.NONE, observer);
  }

  /** An agent whose tool calls are audited in the log only, and not observed. */
  public Agent(
      SessionStore store, Toolbox toolbox, SystemPrompt systemPrompt, AgentOptions options) {
    this(store, toolbox, systemPrompt, options, AuditLog.NONE, TurnObserver.NONE);
  }

  /** Runs the turn on the calling thread; {@link TurnControl#cancel()} from any thread stops it. */
  public Outcome run(
      Session session,
      String userId,
      Provider provider,
      TurnEmitter emitter,
      ToolGate gate,
      TurnControl control) {
    return observed(
        session,
        provider,
        observed ->
            loop(
                session,
                userId,
                provider,
                observed.watching(emitter),
                gate,
                control,
                List.of(),
                observed));
  }

  /**
   * Continues a turn that a server stop suspended while tool calls waited for their approval: the
   * calls of the stored conversation that have no response are decided, those in {@code
   * awaitedCallIds} through {@link ToolGate#resume} (their stored approvals), any other answered
   * "interrupted" (it may have run halfway: never twice); their results go to the model, and the
   * loop goes on as usual.
   */
  public Outcome resume(
      Session session,
      String userId,
      Provider provider,
      TurnEmitter emitter,
      ToolGate gate,
      TurnControl control,
      Set<String> awaitedCallIds) {
    ToolGate resuming = new ResumingGate(gate, awaitedCallIds);
    List<Content.ToolRequest> dangling =
        Conversations.danglingToolRequests(store.conversation(session.id()));
    return observed(
        session,
        provider,
        observed ->
            loop(
                session,
                userId,
                provider,
                observed.watching(emitter),
                resuming,
                control,
                dangling,
                observed));
  }

  /** Runs {@code body} as one observed turn: its end is reported however it ends. */
  private Outcome observed(
      Session session, Provider provider, java.util.function.Function<ObservedTurn, Outcome> body) {
    ObservedTurn observed = ObservedTurn.start(observer, session.id(), provider.name());
    Outcome outcome = new Outcome(StopCause.ERROR, TokenUsage.ZERO);
    try {
      outcome = body.apply(observed);
      return outcome;
    } finally {
      observed.ended(outcome.cause(), outcome.usage());
    }
  }

  private Outcome loop(
      Session session,
      String userId,
      Provider provider,
      TurnEmitter emitter,
      ToolGate gate,
      TurnControl control,
      List<Content.ToolRequest> resumed,
      ObservedTurn observed) {
    control.bindCurrentThread();
    TokenUsage turnUsage = TokenUsage.ZERO;
    ToolContext toolContext =
        new ToolContext(
            userId,
            session.id(),
            session.workingDir(),
            (source, kind, payload) ->
                emitter.emit(new TurnEvent.Notification(source, kind, payload)));
    String system = systemPrompt.build(session.workingDir());
    List<Message> conversation = store.conversation(session.id());
    CallIds callIds = new CallIds(conversation);
    List<Message> view = conversation.stream().filter(Message::agentVisible).toList();
    boolean compactedForError = false;
    int calls = 0;
    try {
      if (!resumed.isEmpty()) {
        List<ToolSpec> offered = gate.offer(toolbox.tools(toolContext));
        view =
            appendResults(
                session.id(),
                view,
                executor(emitter, control).resumeAll(toolContext, resumed, offered, gate));
      }
      while (true) {
        if (calls >= options.maxTurns()) return new Outcome(StopCause.MAX_TURNS, turnUsage);
        if (control.isCancelled()) throw new TurnCancelledException();
        List<ToolSpec> tools = gate.offer(toolbox.tools(toolContext));
        view = maybeCompact(session.id(), provider, system, view);
        ResponseReader reader = new ResponseReader(Ids.newId(), emitter);
        calls++;
        TurnObserver.ProviderCall call = observed.providerCall();
        try (ProviderStream stream =
            openStream(provider, new ProviderRequest(system, view, tools), control)) {
          control.streamOpened(stream);
          reader.readAll(stream, control);
          call.completed(reader.usage());
        } catch (ProviderException e) {
          call.failed(e);
          if (e.kind() == ProviderException.Kind.CONTEXT_LENGTH_EXCEEDED
              && !compactedForError
              && !reader.hasContent()) {
            compactedForError = true;
            List<Message> compacted = compactor.compact(session.id(), provider, view);
            if (compacted != view) {
              view = compacted;
              calls--;
              continue;
            }
          }
          keepPartial(session.id(), reader);
          throw e;
        } catch (RuntimeException e) {
          call.failed(e);
          keepPartial(session.id(), reader);
          throw e;
        } finally {
          control.streamClosed();
        }
        Message reply = callIds.unique(reader.message());
        turnUsage = turnUsage.plus(reader.usage());
        if (!reader.usage().equals(TokenUsage.ZERO)) store.addUsage(session.id(), reader.usage());
        if (!reply.content().isEmpty()) {
          store.appendMessage(session.id(), reply);
          view = append(view, reply);
        }
        List<Content.ToolRequest> requests = reply.toolRequests();
        if (requests.isEmpty()) return new Outcome(StopCause.END_TURN, turnUsage);

        view =
            appendResults(
                session.id(),
                view,
                executor(emitter, control).runAll(toolContext, requests, tools, gate));
      }
    } catch (TurnSuspendedException e) {
      log.info(
          "turn of session {} suspended while a tool call waits for its approval; the next start resumes it",
          session.id());
      return new Outcome(StopCause.SUSPENDED, turnUsage);
    } catch (TurnCancelledException e) {
      return new Outcome(StopCause.CANCELLED, turnUsage);
    } catch (ProviderException e) {
      if (control.isCancelled()) return new Outcome(StopCause.CANCELLED, turnUsage);
      log.warn(
          "provider {} failed in session {}: {} ({})",
          provider.name(),
          session.id(),
          e.getMessage(),
          e.kind());
      emitter.emit(new TurnEvent.Error(e.code(), ErrorMessages.of(e)));
      return new Outcome(StopCause.ERROR, turnUsage);
    } catch (RuntimeException e) {
      if (control.isCancelled()) return new Outcome(StopCause.CANCELLED, turnUsage);
      log.error("turn failed in session {}", session.id(), e);
      emitter.emit(
          new TurnEvent.Error("internal", "the turn failed unexpectedly; see the server log"));
      return new Outcome(StopCause.ERROR, turnUsage);
    }
  }

  /**
   * Opens the provider stream; a cancel meanwhile interrupts the connect or the back-off between
   * retries.
   */
  private static ProviderStream openStream(
      Provider provider, ProviderRequest request, TurnControl control) {
    control.enterWait();
    try {
      return provider.stream(request);
    } finally {
      control.exitWait();
    }
  }

  /**
   * Why a turn ended, as sent in {@code message_complete}; {@code SUSPENDED} means it did not end:
   * the server stopped while it waited for an approval, and the next start resumes it.
   */
  public enum StopCause {
    END_TURN,
    MAX_TURNS,
    CANCELLED,
    ERROR,
    SUSPENDED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How a turn ended and the tokens it used. */
  public record Outcome(StopCause cause, TokenUsage usage) {}

  private List<Message> maybeCompact(
      String sessionId, Provider provider, String system, List<Message> view) {
    if (options.autoCompactThreshold() <= 0) return view;
    long limit = provider.contextLimit();
    if (Compactor.estimateTokens(system, view) < options.autoCompactThreshold() * limit)
      return view;
    log.info(
        "compacting session {}: conversation nears the context limit of {} tokens",
        sessionId,
        limit);
    return compactor.compact(sessionId, provider, view);
  }

  private void keepPartial(String sessionId, ResponseReader reader) {
    if (!reader.hasContent()) return;
    Message partial = reader.partial();
    if (!partial.content().isEmpty()) store.appendMessage(sessionId, partial);
  }

  private ToolExecutor executor(TurnEmitter emitter, TurnControl control) {
    return new ToolExecutor(toolbox, emitter, control, audit);
  }

  private List<Message> appendResults(
      String sessionId, List<Message> view, List<Content.ToolResponse> responses) {
    Message results = toolResults(responses);
    store.appendMessage(sessionId, results);
    return append(view, results);
  }

  private static Message toolResults(List<Content.ToolResponse> responses) {
    return new Message(
        Ids.newId(),
        Role.USER,
        Instant.now(),
        List.copyOf(responses),
        true,
        true,
        false,
        TokenUsage.ZERO);
  }

  private static List<Message> append(List<Message> view, Message message) {
    List<Message> next = new ArrayList<>(view);
    next.add(message);
    return next;
  }
}
