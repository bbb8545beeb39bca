package goose.deploy;

import java.util.List;

/** The container settings docs/deployment.md gives for `docker run`, in one place for the tests. */
final class ContainerOptions {
  /** What the tool sandbox needs inside a container (none before the sandbox exists). */
  static final List<String> SANDBOX = List.of();

  private ContainerOptions() {}
}
