package goose.approval;

/** Where tool calls are recorded for {@code GET /audit}. Thread-safe. */
public interface AuditLog {
  /** Keeps nothing: for loops that run without a database (tests). */
  AuditLog NONE =
      new AuditLog() {
        @Override
        public void record(AuditEntry entry) {}

        @Override
        public AuditPage list(AuditQuery query) {
          return new AuditPage(java.util.List.of(), java.util.Optional.empty());
        }
      };

  void record(AuditEntry entry);

  /** A cursor this store did not produce is an {@link IllegalArgumentException}. */
  AuditPage list(AuditQuery query);
}
