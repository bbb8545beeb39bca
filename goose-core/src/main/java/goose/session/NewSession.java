package goose.session;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What it takes to create a session. The store assigns id and times. {@code nameSource} says
 * whether {@code name} was given ({@link NameSource#USER}) or is the default a title may replace.
 */
public record NewSession(String owner, String name, Path workingDir, NameSource nameSource) {
  public NewSession {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(workingDir, "working_dir");
    Objects.requireNonNull(nameSource, "name_source");
  }

  /** A session with a name given by its user. */
  public NewSession(String owner, String name, Path workingDir) {
    this(owner, name, workingDir, NameSource.USER);
  }
}
