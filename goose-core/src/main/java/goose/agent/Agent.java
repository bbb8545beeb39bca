package goose.agent;

import goose.approval.AuditLog;
import goose.conversation.Content;
import goose.conversation.Message;
import goose.conversation.Role;
import goose.conversation.TokenUsage;
import goose.error.ErrorMessages;
import goose.event.TurnEvent;
import goose.ids.Ids;
import goose.pricing.Costs;
import goose.pricing.PriceTable;
import goose.provider.Provider;
import goose.provider.ProviderException;
import goose.provider.ProviderRequest;
import goose.provider.ProviderStream;
import goose.provider.StopReason;
import goose.session.Session;
import goose.session.SessionStore;
import goose.tool.ToolContext;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop of one turn: send the agent's view of the conversation to the provider (built by
 * {@link RequestBuilder}), relay the streamed reply, run the tool calls it asks for (concurrently),
 * send the results back, until the model ends its turn or {@code max_turns} provider calls were
 * made. Every message is persisted as soon as it is complete; the partial text of a cancelled or
 * failed call is kept, marked interrupted. Each call ends with a {@code usage} event (tokens, cache
 * reads and writes, estimated cost, why the model stopped).
 *
 * <p>A reply cut off by the output budget ({@code max_tokens}) is not taken as the model's last
 * word: the tool call it was writing is dropped (never run half-written), its complete calls run,
 * and the model is asked to go on where it stopped; after {@value #MAX_CUT_REPLIES} cut replies in
 * a row the turn ends with {@code max_tokens}.
 *
 * <p>Before each model call and each tool call the loop asks whether the turn's owner still exists
 * ({@link TurnControl#ownerActive()}, a store read): once the user was removed nothing more is sent
 * to the model and no further tool runs; the calls of the reply at hand are answered "interrupted"
 * and the turn ends with a {@code user_removed} error.
 *
 * <p>A failure ends the loop with an {@code error} event; the caller closes the turn with the
 * {@code message_complete} event built from the returned {@link Outcome}.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  /**
   * The code of the {@code turn_error} that ends a turn whose user was removed ({@code goose users
   * remove}) while it ran.
   */
  public static final String USER_REMOVED = "user_removed";

  /** Replies in a row cut off by the output budget before the turn gives up. */
  static final int MAX_CUT_REPLIES = 3;

  private final SessionStore store;
  private final Toolbox toolbox;
  private final RequestBuilder requests;
  private final PriceTable prices;
  private final AgentOptions options;
  private final Compactor compactor;
  private final ToolAudit audit;
  private final TurnObserver observer;

  /**
   * @param audit where every tool call is recorded
   * @param observer sees each turn, provider call and event (metrics, traces)
   * @param prices the model prices cost estimates come from
   */
  public Agent(
      SessionStore store,
      Toolbox toolbox,
      SystemPrompt systemPrompt,
      AgentOptions options,
      AuditLog audit,
      TurnObserver observer,
      PriceTable prices) {
    this.store = store;
    this.toolbox = toolbox;
    this.requests = new RequestBuilder(systemPrompt, options);
    this.prices = prices;
    this.options = options;
    this.compactor = new Compactor(store);
    this.audit = new ToolAudit(audit);
    this.observer = observer;
  }

  /** With the built-in model prices. */
  public Agent(
      SessionStore store,
      Toolbox toolbox,
      SystemPrompt systemPrompt,
      AgentOptions options,
      AuditLog audit,
      TurnObserver observer) {
    this(store, toolbox, systemPrompt, options, audit, observer, PriceTable.builtIn());
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
    Outcome outcome = Outcome.failed();
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
    Spent spent = new Spent();
    ToolContext toolContext =
        new ToolContext(
            userId,
            session.id(),
            session.workingDir(),
            (source, kind, payload) ->
                emitter.emit(new TurnEvent.Notification(source, kind, payload)));
    List<Message> conversation = store.conversation(session.id());
    CallIds callIds = new CallIds(conversation);
    List<Message> view = conversation.stream().filter(Message::agentVisible).toList();
    Optional<String> system = Optional.empty(); // built once, with the first tool list
    boolean compactedForError = false;
    int calls = 0;
    int cutReplies = 0;
    try {
      if (!resumed.isEmpty()) {
        List<ToolSpec> offered = gate.offer(toolbox.tools(toolContext));
        view =
            appendResults(
                session.id(),
                view,
                executor(emitter, control).resumeAll(toolContext, resumed, offered, gate),
                Optional.empty());
      }
      while (true) {
        if (calls >= options.maxTurns()) return spent.outcome(StopCause.MAX_TURNS);
        if (control.isCancelled() || !control.ownerActive()) throw new TurnCancelledException();
        List<ToolSpec> available = toolbox.tools(toolContext);
        if (system.isEmpty())
          system = Optional.of(requests.system(session, toolbox.extensions(toolContext)));
        List<ToolSpec> tools = gate.offer(available);
        view = maybeCompact(session.id(), provider, system.get(), view);
        ResponseReader reader = new ResponseReader(Ids.newId(), emitter);
        ProviderRequest request =
            requests.request(session, provider, system.get(), view, tools, calls);
        calls++;
        TurnObserver.ProviderCall call = observed.providerCall();
        try (ProviderStream stream = openStream(provider, request, control)) {
          control.streamOpened(stream);
          reader.readAll(stream, control);
          call.completed(reader.usage());
        } catch (ProviderException e) {
          call.failed(e);
          if (e.kind() == ProviderException.Kind.CONTEXT_LENGTH_EXCEEDED
              && !compactedForError
              && !reader.hasContent()) {
            compactedForError = true;
            if (!control.ownerActive()) throw new TurnCancelledException(); // a model call too
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
        account(session.id(), provider, reader, spent, emitter);
        if (!reply.content().isEmpty()) {
          store.appendMessage(session.id(), reply);
          view = append(view, reply);
        }
        boolean cut = reader.stopReason() == StopReason.MAX_TOKENS;
        cutReplies = cut ? cutReplies + 1 : 0;
        if (cut) {
          log.info(
              "reply in session {} cut off by the output budget of {} tokens ({} in a row)",
              session.id(),
              provider.maxOutputTokens(),
              cutReplies);
          if (cutReplies >= MAX_CUT_REPLIES) return spent.outcome(StopCause.MAX_TOKENS);
        }
        List<Content.ToolRequest> calledTools = reply.toolRequests();
        if (calledTools.isEmpty()) {
          if (!cut) return spent.outcome(StopCause.END_TURN);
          Message goOn = Continuation.message(provider.maxOutputTokens(), false);
          store.appendMessage(session.id(), goOn);
          view = append(view, goOn);
          continue;
        }
        view =
            appendResults(
                session.id(),
                view,
                executor(emitter, control).runAll(toolContext, calledTools, tools, gate),
                cut
                    ? Optional.of(Continuation.note(provider.maxOutputTokens(), true))
                    : Optional.empty());
      }
    } catch (TurnSuspendedException e) {
      log.info(
          "turn of session {} suspended while a tool call waits for its approval; the next start resumes it",
          session.id());
      return spent.outcome(StopCause.SUSPENDED);
    } catch (TurnCancelledException e) {
      return stopped(session, control, emitter, spent);
    } catch (LeaseLostException e) {
      throw e; // another instance owns the turn now: nothing more is written here
    } catch (ProviderException e) {
      if (control.isCancelled()) return stopped(session, control, emitter, spent);
      log.warn(
          "provider {} failed in session {}: {} ({})",
          provider.name(),
          session.id(),
          e.getMessage(),
          e.kind());
      emitter.emit(new TurnEvent.Error(e.code(), ErrorMessages.of(e)));
      return spent.outcome(StopCause.ERROR);
    } catch (RuntimeException e) {
      if (control.isCancelled()) return stopped(session, control, emitter, spent);
      log.error("turn failed in session {}", session.id(), e);
      emitter.emit(
          new TurnEvent.Error("internal", "the turn failed unexpectedly; see the server log"));
      return spent.outcome(StopCause.ERROR);
    }
  }

  /**
   * How a stopped turn ends: cancelled, or, when it stopped because its user was removed, with a
   * {@code user_removed} error.
   */
  private static Outcome stopped(
      Session session, TurnControl control, TurnEmitter emitter, Spent spent) {
    if (!control.isOwnerRemoved()) return spent.outcome(StopCause.CANCELLED);
    log.warn(
        "turn of session {} stopped: its user ({}) was removed", session.id(), session.owner());
    emitter.emit(
        new TurnEvent.Error(
            USER_REMOVED,
            "the user who started this turn was removed (goose users remove): the turn stopped,"
                + " no further model call or tool call runs"));
    return spent.outcome(StopCause.ERROR);
  }

  /**
   * Records what one call cost: on the session (tokens and estimated cost), in the turn's sum, and
   * as a {@code usage} event.
   */
  private void account(
      String sessionId,
      Provider provider,
      ResponseReader reader,
      Spent spent,
      TurnEmitter emitter) {
    TokenUsage usage = reader.usage();
    OptionalDouble cost =
        usage.equals(TokenUsage.ZERO)
            ? OptionalDouble.empty()
            : prices.cost(provider.model(), usage);
    spent.add(usage, cost);
    if (!usage.equals(TokenUsage.ZERO)) store.addUsage(sessionId, usage, cost);
    emitter.emit(
        new TurnEvent.ModelUsage(reader.messageId(), reader.stopReason().wire(), usage, cost));
  }

  /** The tokens and estimated cost of a turn so far. */
  private static final class Spent {
    private TokenUsage usage = TokenUsage.ZERO;
    private OptionalDouble cost = OptionalDouble.empty();

    void add(TokenUsage more, OptionalDouble moreCost) {
      usage = usage.plus(more);
      cost = Costs.plus(cost, moreCost);
    }

    Outcome outcome(StopCause cause) {
      return new Outcome(cause, usage, cost);
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
   * the server stopped while it waited for an approval, and the next start resumes it. {@code
   * MAX_TOKENS}: the model's replies kept being cut off by the output budget.
   */
  public enum StopCause {
    END_TURN,
    MAX_TURNS,
    MAX_TOKENS,
    CANCELLED,
    ERROR,
    SUSPENDED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How a turn ended, the tokens it used and their estimated cost (empty without a price). */
  public record Outcome(StopCause cause, TokenUsage usage, OptionalDouble costUsd) {
    public Outcome(StopCause cause, TokenUsage usage) {
      this(cause, usage, OptionalDouble.empty());
    }

    /** A turn that failed before it used anything. */
    public static Outcome failed() {
      return new Outcome(StopCause.ERROR, TokenUsage.ZERO);
    }

    /** This turn, failed: what it used so far still counts. */
    public Outcome asFailed() {
      return new Outcome(StopCause.ERROR, usage, costUsd);
    }
  }

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

  /**
   * Stores a batch's responses as one message (with a note to the model after them, if any) and
   * returns the view with it. with it. A batch the turn's cancel cut short is stored too, its
   * unfinished calls answered "interrupted", before the turn ends: the next turn's request must
   * answer every tool call.
   */
  private List<Message> appendResults(
      String sessionId, List<Message> view, ToolExecutor.Batch batch, Optional<String> note) {
    List<Content> parts = new ArrayList<>(batch.responses());
    if (!batch.cancelled()) note.ifPresent(n -> parts.add(new Content.Text(n)));
    Message results =
        new Message(
            Ids.newId(), Role.USER, Instant.now(), parts, true, true, false, TokenUsage.ZERO);
    store.appendMessage(sessionId, results);
    if (batch.cancelled()) throw new TurnCancelledException();
    return append(view, results);
  }

  private static List<Message> append(List<Message> view, Message message) {
    List<Message> next = new ArrayList<>(view);
    next.add(message);
    return next;
  }
}
