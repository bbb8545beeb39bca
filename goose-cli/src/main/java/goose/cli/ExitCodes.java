package goose.cli;

/** The exit codes of every command, documented in {@code goose --help}. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;

  /**
   * Something failed at run time (store held by another server, file not writable, key not set).
   */
  public static final int FAILURE = 1;

  /**
   * The command line or the configuration is wrong, or the address to listen on is taken: fix it
   * and run again.
   */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
