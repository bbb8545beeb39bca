package goose.cli.configure;

import goose.config.Config;
import goose.session.SessionStores;
import goose.session.StoreLock;
import java.io.PrintWriter;

/**
 * What {@code configure set} and {@code unset} say about a running server: goosed reads its
 * configuration once, at start (a running server never changes under its turns), so a change
 * applies at its next start. When a server holds this configuration's SQLite store the note names
 * its pid; on PostgreSQL the replicas may run anywhere, so the note is general.
 */
final class RestartNote {
  private RestartNote() {}

  static void print(Config config, String key, PrintWriter err) {
    boolean sqlite = config.get("GOOSE_DATABASE_URL").filter(v -> !v.isBlank()).isEmpty();
    var holder =
        sqlite
            ? StoreLock.holder(SessionStores.sqliteFile(config))
            : java.util.Optional.<String>empty();
    if (holder.isPresent()) {
      err.println(
          "note: goosed is running with this configuration ("
              + holder.get()
              + ") and reads it only at start: restart it to apply "
              + key);
    } else {
      err.println("note: a running goosed applies " + key + " at its next start (restart it)");
    }
  }
}
