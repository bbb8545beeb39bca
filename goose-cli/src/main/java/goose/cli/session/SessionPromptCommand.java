package goose.cli.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import goose.agent.AgentOptions;
import goose.agent.RequestBuilder;
import goose.agent.SystemPrompt;
import goose.builtins.BuiltinServers;
import goose.cli.ExitCodes;
import goose.cli.GooseCommand;
import goose.config.Config;
import goose.conversation.Message;
import goose.extension.ExtensionManager;
import goose.json.Json;
import goose.provider.Provider;
import goose.provider.ProviderRequest;
import goose.provider.configured.Providers;
import goose.sandbox.Sandbox;
import goose.session.Session;
import goose.session.SessionStore;
import goose.session.SessionStores;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code goose session prompt ID}: what the session's next model call would send, as the body its
 * provider posts (the session's own provider and model, else the configured ones): system prompt,
 * tools, conversation with its turn context, cache hints and output budget. For seeing what the
 * model is sent; nothing is sent or stored.
 */
@Command(
    name = "prompt",
    mixinStandardHelpOptions = true,
    description = {
      "Print the request body the session's next model call would send to its provider"
          + " (system prompt, tools, conversation with the turn context, cache hints, max_tokens).",
      "Starts the enabled extensions to list their tools and instructions; sends nothing."
    })
public final class SessionPromptCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SessionOwner owner;

  @Parameters(paramLabel = "ID", description = "The session id.")
  String id;

  @Option(
      names = {"-m", "--message"},
      paramLabel = "TEXT",
      description = "A next user message to add at the end (not stored).")
  Optional<String> message = Optional.empty();

  @Override
  public Integer call() throws Exception {
    Config config = GooseCommand.of(spec).config();
    RequestBuilder requests =
        new RequestBuilder(SystemPrompt.from(config), AgentOptions.from(config));
    Sandbox sandbox = Sandbox.forSingleUser(config);
    Provider provider;
    ProviderRequest request;
    try (SessionStore store = SessionStores.open(config);
        ExtensionManager extensions =
            new ExtensionManager(config, BuiltinServers.all(config, store, sandbox), sandbox)) {
      Session session = owner.session(config, store, id);
      provider = Providers.fromConfig(config, session.provider(), session.model());
      request =
          requests.preview(
              session, store, extensions, provider, message.map(Message::user).stream().toList());
    }
    Optional<ObjectNode> body = provider.wireBody(request);
    spec.commandLine()
        .getErr()
        .printf(
            "%s %s: %d messages, %d tools, max_tokens %d, prompt caching %s%n",
            provider.name(),
            provider.model(),
            request.messages().size(),
            request.tools().size(),
            request.maxOutputTokens(),
            request.cached() ? "on" : "off");
    spec.commandLine()
        .getOut()
        .println(
            Json.MAPPER
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(
                    body.orElseGet(() -> (ObjectNode) Json.MAPPER.valueToTree(request))));
    return ExitCodes.OK;
  }
}
