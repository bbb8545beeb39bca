package goose.server.session;

import goose.server.http.Doc;
import java.util.Optional;

/** {@code PATCH /sessions/{id}}: the fields to change; absent fields stay as they are. */
public record UpdateSessionRequest(
    @Doc("New display name, 1-200 characters") Optional<String> name,
    @Doc(
            "Tool approval mode of this session: auto, approve, smart_approve or chat (overrides GOOSE_MODE)")
        Optional<String> mode) {
  public UpdateSessionRequest {
    name = name == null ? Optional.empty() : name;
    mode = mode == null ? Optional.empty() : mode;
  }
}
