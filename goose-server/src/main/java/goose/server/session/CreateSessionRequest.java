package goose.server.session;

import goose.server.http.Doc;
import java.util.Optional;

/**
 * {@code POST /sessions}: {@code cwd} is the absolute path of an existing directory the agent works
 * in.
 */
public record CreateSessionRequest(
    @Doc("Absolute path of an existing directory") String cwd,
    @Doc("Display name, 1-200 characters; default \"New session\"") Optional<String> name) {
  public CreateSessionRequest {
    name = name == null ? Optional.empty() : name;
  }
}
