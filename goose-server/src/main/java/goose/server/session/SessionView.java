package goose.server.session;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import goose.approval.ApprovalMode;
import goose.server.http.Doc;
import goose.session.Session;
import java.util.Optional;

/** A session as the API shows it (its owner is implied by the credentials, never shown). */
public record SessionView(
    @JsonUnwrapped SessionFields session,
    @Doc("The session's own provider (chosen over ACP); absent: GOOSE_PROVIDER")
        Optional<String> provider,
    @Doc("The session's own model (chosen over ACP); absent: the provider's GOOSE_MODEL")
        Optional<String> model) {

  static SessionView of(Session s, ApprovalMode defaultMode) {
    return new SessionView(SessionFields.of(s, defaultMode), s.provider(), s.model());
  }
}
