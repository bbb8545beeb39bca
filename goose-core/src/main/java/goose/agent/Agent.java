package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop of one turn: send the agent's view of the conversation to the provider, relay the
 * streamed reply, run the tool calls it asks for (concurrently), send the results back, until the model
 * ends its turn or {@code max_turns} provider calls were made. Every message is persisted as soon as
 * it is complete; the partial text of a cancelled or failed call is kept, marked interrupted.
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
  private final TurnObserver observer;

  public Agent(SessionStore store, Toolbox toolbox, SystemPrompt systemPrompt, AgentOptions options) {
    this(store, toolbox, systemPrompt, options, TurnObserver.NONE);
  }

  /** @param observer sees each turn, provider call and event (metrics, traces) */
  public Agent(SessionStore store, Toolbox toolbox, SystemPrompt systemPrompt, AgentOptions options, TurnObserver observer) {
    this.store = store;
    this.toolbox = toolbox;
    this.systemPrompt = systemPrompt;
    this.options = options;
    this.compactor = new Compactor(store);
    this.observer = observer;
  }

  /**
   * Runs the turn on the calling thread; {@link TurnControl#cancel()} from any thread stops it.
   */
  public Outcome run(Session session, String userId, Provider provider, TurnEmitter emitter, ToolGate gate,
      TurnControl control) {
    ObservedTurn observed = ObservedTurn.start(observer, session.id(), provider.name());
    Outcome outcome = new Outcome(StopCause.ERROR, TokenUsage.ZERO);
    try {
      outcome = loop(session, userId, provider, observed.watching(emitter), gate, control, observed);
      return outcome;
    } finally {
      observed.ended(outcome.cause(), outcome.usage());
    }
  }

  private Outcome loop(Session session, String userId, Provider provider, TurnEmitter emitter, ToolGate gate,
      TurnControl control, ObservedTurn observed) {
    control.bindCurrentThread();
    TokenUsage turnUsage = TokenUsage.ZERO;
    ToolContext toolContext = new ToolContext(userId, session.id(), session.workingDir(),
        (source, kind, payload) -> emitter.emit(new TurnEvent.Notification(source, kind, payload)));
    String system = systemPrompt.build(session.workingDir());
    List<Message> view = agentView(session.id());
    boolean compactedForError = false;
    int calls = 0;
    try {
      while (true) {
        if (calls >= options.maxTurns()) return complete(emitter, "max_turns", turnUsage);
        if (control.isCancelled()) throw new TurnCancelledException();
        List<ToolSpec> tools = toolbox.tools(toolContext);
        view = maybeCompact(session.id(), provider, system, view);
        ResponseReader reader = new ResponseReader(Ids.newId(), emitter);
        calls++;
        TurnObserver.ProviderCall call = observed.providerCall();
        try (ProviderStream stream = openStream(provider, new ProviderRequest(system, view, tools), control)) {
          control.streamOpened(stream);
          reader.readAll(stream, control);
          call.completed(reader.usage());
        } catch (ProviderException e) {
          call.failed(e);
          if (e.kind() == ProviderException.Kind.CONTEXT_LENGTH_EXCEEDED && !compactedForError && !reader.hasContent()) {
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
        Message reply = reader.message();
        turnUsage = turnUsage.plus(reader.usage());
        if (!reader.usage().equals(TokenUsage.ZERO)) store.addUsage(session.id(), reader.usage());
        if (!reply.content().isEmpty()) {
          store.appendMessage(session.id(), reply);
          view = append(view, reply);
        }
        List<Content.ToolRequest> requests = reply.toolRequests();
        if (requests.isEmpty()) return complete(emitter, "end_turn", turnUsage);

        List<Content.ToolResponse> responses = new ToolExecutor(toolbox, emitter, control).runAll(toolContext, requests, gate);
        Message results = toolResults(responses);
        store.appendMessage(session.id(), results);
        view = append(view, results);
      }
    } catch (TurnCancelledException e) {
      return complete(emitter, "cancelled", turnUsage);
    } catch (ProviderException e) {
      if (control.isCancelled()) return complete(emitter, "cancelled", turnUsage);
      log.warn("provider {} failed in session {}: {} ({})", provider.name(), session.id(), e.getMessage(), e.kind());
      emitter.emit(new TurnEvent.Error(e.code(), e.getMessage()));
      return complete(emitter, "error", turnUsage);
    } catch (RuntimeException e) {
      if (control.isCancelled()) return complete(emitter, "cancelled", turnUsage);
      log.error("turn failed in session {}", session.id(), e);
      emitter.emit(new TurnEvent.Error("internal", "the turn failed unexpectedly; see the server log"));
      return complete(emitter, "error", turnUsage);
    }
  }

  /** Opens the provider stream; a cancel meanwhile interrupts the connect or the back-off between retries. */
  private static ProviderStream openStream(Provider provider, ProviderRequest request, TurnControl control) {
    control.enterWait();
    try {
      return provider.stream(request);
    } finally {
      control.exitWait();
    }
  }

  /** Why a turn ended, as sent in {@code message_complete}. */
  public enum StopCause {
    END_TURN,
    MAX_TURNS,
    CANCELLED,
    ERROR;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How a turn ended and the tokens it used. */
  public record Outcome(StopCause cause, TokenUsage usage) {}

  private List<Message> agentView(String sessionId) {
    return store.conversation(sessionId).stream().filter(Message::agentVisible).toList();
  }

  private List<Message> maybeCompact(String sessionId, Provider provider, String system, List<Message> view) {
    if (options.autoCompactThreshold() <= 0) return view;
    long limit = provider.contextLimit();
    if (Compactor.estimateTokens(system, view) < options.autoCompactThreshold() * limit) return view;
    log.info("compacting session {}: conversation nears the context limit of {} tokens", sessionId, limit);
    return compactor.compact(sessionId, provider, view);
  }

  private void keepPartial(String sessionId, ResponseReader reader) {
    if (!reader.hasContent()) return;
    Message partial = reader.partial();
    if (!partial.content().isEmpty()) store.appendMessage(sessionId, partial);
  }

  private static Message toolResults(List<Content.ToolResponse> responses) {
    return new Message(Ids.newId(), Role.USER, Instant.now(), List.copyOf(responses), true, true, false, TokenUsage.ZERO);
  }

  private static List<Message> append(List<Message> view, Message message) {
    List<Message> next = new ArrayList<>(view);
    next.add(message);
    return next;
  }

  private static Outcome complete(TurnEmitter emitter, String reason, TokenUsage usage) {
    return new Outcome(StopCause.valueOf(reason.toUpperCase(java.util.Locale.ROOT)), usage);
  }
}
