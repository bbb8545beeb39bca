package goose.approval;

import java.util.List;
import java.util.Optional;

/** Audit entries, newest first, and the cursor of the next page when there is one. */
public record AuditPage(List<AuditEntry> entries, Optional<String> nextCursor) {
  public AuditPage {
    entries = List.copyOf(entries);
  }
}
