package goose.extension;

/** Where an extension's server stands right now. */
public enum ExtensionStatus {
  /** Connected (or in-process, for built-ins) and serving tools. */
  RUNNING,
  /** Not started: disabled, or enabled and waiting for its first use. */
  STOPPED,
  /**
   * The last start or call failed; {@link ExtensionInfo#lastError()} says why. Retried on next use.
   */
  FAILED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
