package goose.server.session;

import java.util.Optional;

/** {@code POST /sessions}: {@code cwd} is the absolute path of an existing directory the agent works in. */
public record CreateSessionRequest(String cwd, Optional<String> name) {
  public CreateSessionRequest {
    name = name == null ? Optional.empty() : name;
  }
}
