package goose.agent;

import goose.conversation.Content;
import goose.conversation.Message;
import goose.provider.Provider;
import goose.provider.ProviderRequest;
import goose.session.Session;
import goose.session.SessionStore;
import goose.tool.ActiveExtension;
import goose.tool.ToolContext;
import goose.tool.ToolNotifications;
import goose.tool.ToolSpec;
import goose.tool.Toolbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the model is sent, in one place: one function of the session, the agent's view of its
 * conversation, the tools on offer and how many calls the turn has made. In order: the system
 * prompt ({@link SystemPrompt}: fixed instructions, the active extensions' instructions, hints, the
 * operator's additions), the tools, then the conversation with a {@link TurnContext} block on every
 * message that started a turn; the output budget is the provider's; with prompt caching on, the
 * session id is the cache key. Each provider lays this out in its own wire format (and puts its
 * cache breakpoints there). Nothing built here is stored: the conversation keeps what the user
 * wrote.
 */
public final class RequestBuilder {
  private final SystemPrompt systemPrompt;
  private final AgentOptions options;

  public RequestBuilder(SystemPrompt systemPrompt, AgentOptions options) {
    this.systemPrompt = systemPrompt;
    this.options = options;
  }

  /** The session's system prompt with these extensions active. */
  public String system(Session session, List<ActiveExtension> extensions) {
    return systemPrompt.build(session.workingDir(), extensions);
  }

  /**
   * The request of the turn's next call, after {@code callsMade} calls.
   *
   * @param view the agent-visible conversation, as stored
   * @param tools the tools on offer (after the approval mode's filter)
   */
  public ProviderRequest request(
      Session session,
      Provider provider,
      String system,
      List<Message> view,
      List<ToolSpec> tools,
      int callsMade) {
    TurnContext context = new TurnContext(session.workingDir(), options.maxTurns());
    return new ProviderRequest(
        system,
        withTurnContext(view, context, callsMade),
        tools,
        provider.maxOutputTokens(),
        options.promptCaching() ? Optional.of(session.id()) : Optional.empty());
  }

  /**
   * The request the session's next call would send now, for showing it ({@code goose session
   * prompt}): its agent-visible conversation followed by {@code next} (messages not stored, such as
   * the next user message), all tools the toolbox offers, no call made yet.
   */
  public ProviderRequest preview(
      Session session, SessionStore store, Toolbox toolbox, Provider provider, List<Message> next) {
    ToolContext context =
        new ToolContext(
            session.owner(), session.id(), session.workingDir(), ToolNotifications.IGNORE);
    List<ToolSpec> tools = toolbox.tools(context);
    List<Message> view = new ArrayList<>();
    store.conversation(session.id()).stream().filter(Message::agentVisible).forEach(view::add);
    view.addAll(next);
    return request(session, provider, system(session, toolbox.extensions(context)), view, tools, 0);
  }

  /**
   * Copies of the messages with the turn context added: a block on each message that started a turn
   * (a function of that message only, so it reads the same in every later request), and, when the
   * turn's calls run low, a short budget block on the newest message.
   */
  static List<Message> withTurnContext(List<Message> view, TurnContext context, int callsMade) {
    List<Message> out = new ArrayList<>(view.size());
    boolean compacted = false;
    for (Message m : view) {
      if (m.text().startsWith(Compactor.SUMMARY_PREFIX)) compacted = true;
      out.add(TurnContext.startsATurn(m) ? with(m, context.block(m, compacted)) : m);
    }
    Optional<String> low = context.lowBudget(callsMade);
    if (low.isPresent() && !out.isEmpty()) out.set(out.size() - 1, with(out.getLast(), low.get()));
    return out;
  }

  private static Message with(Message m, String block) {
    List<Content> content = new ArrayList<>(m.content());
    content.add(new Content.Text(block));
    return new Message(
        m.id(),
        m.role(),
        m.createdAt(),
        content,
        m.userVisible(),
        m.agentVisible(),
        m.interrupted(),
        m.usage());
  }
}
