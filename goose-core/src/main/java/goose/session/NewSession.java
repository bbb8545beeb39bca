package goose.session;

import java.nio.file.Path;
import java.util.Objects;

/** What it takes to create a session. The store assigns id and times. */
public record NewSession(String owner, String name, Path workingDir) {
  public NewSession {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(workingDir, "working_dir");
  }
}
