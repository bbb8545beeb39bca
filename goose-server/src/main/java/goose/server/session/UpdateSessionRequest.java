package goose.server.session;

import java.util.Optional;

/** {@code PATCH /sessions/{id}}: the fields to change; absent fields stay as they are. */
public record UpdateSessionRequest(Optional<String> name) {
  public UpdateSessionRequest {
    name = name == null ? Optional.empty() : name;
  }
}
