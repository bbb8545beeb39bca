package goose.session;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What differs between the databases the store runs on. The schema and every query are the same SQL
 * on both (plain types, {@code UPDATE ... RETURNING}, partial unique indexes, row-value
 * comparisons); only the migration scripts' folder, how a constraint violation is reported,
 * SQLite's single writer and how the clock the leases go by is read differ.
 */
enum SqlDialect {
  SQLITE("classpath:db/migration/sqlite", true),
  POSTGRESQL("classpath:db/migration/postgresql", false);

  /** Which constraint a failed statement broke. */
  enum Violation {
    UNIQUE,
    FOREIGN_KEY,
    OTHER
  }

  private final String migrations;
  private final boolean singleWriter;

  SqlDialect(String migrations, boolean singleWriter) {
    this.migrations = migrations;
    this.singleWriter = singleWriter;
  }

  /** Flyway location of this database's versioned migrations. */
  String migrations() {
    return migrations;
  }

  /**
   * True when the database allows one writing transaction at a time (SQLite). The store then queues
   * its writers in the JVM (fairly, without polling) instead of letting them spin on the busy
   * timeout, which stays as the guard against other processes using the same file.
   */
  boolean singleWriter() {
    return singleWriter;
  }

  /**
   * The database's own clock in epoch nanoseconds, as an SQL expression: what the turn leases are
   * written and compared by. PostgreSQL's {@code clock_timestamp()} is one clock for every instance
   * on the database, whatever their hosts' clocks say; SQLite's is the clock of the one host whose
   * processes share the file (millisecond precision).
   */
  String clockNanos() {
    return switch (this) {
      case SQLITE -> "CAST(unixepoch('subsec') * 1000000000 AS INTEGER)";
      case POSTGRESQL -> "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000000 AS BIGINT)";
    };
  }

  Violation violation(SQLException e) {
    return switch (this) {
      case SQLITE -> {
        if (!(e instanceof SQLiteException s)) yield Violation.OTHER;
        SQLiteErrorCode code = s.getResultCode();
        if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
            || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
          yield Violation.UNIQUE;
        }
        yield code == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY
            ? Violation.FOREIGN_KEY
            : Violation.OTHER;
      }
      case POSTGRESQL ->
          switch (String.valueOf(e.getSQLState())) {
            case "23505" -> Violation.UNIQUE;
            case "23503" -> Violation.FOREIGN_KEY;
            default -> Violation.OTHER;
          };
    };
  }
}
