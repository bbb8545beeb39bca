package goose.cli.session;

import goose.server.http.RequestUser;
import picocli.CommandLine.Option;

/** The {@code --user} option of the session commands: whose sessions they see. */
final class SessionOwner {
  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "The user whose sessions to use (default: ${DEFAULT-VALUE}).")
  String user = RequestUser.LOCAL.name();
}
