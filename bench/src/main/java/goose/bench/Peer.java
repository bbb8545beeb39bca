package goose.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One agent server the harness compares: started as a process, sessions created, a reply streamed.
 */
interface Peer {
  String name();

  /** Starts the server with its state under {@code home}; answers once it serves, or throws. */
  Process start(Path home, int port) throws Exception;

  /** The URL that answers 200 once the server serves. */
  String readyPath();

  /** Called once after the start, before any session. */
  default void connect(int port) throws Exception {}

  String createSession(Path cwd) throws Exception;

  /** Sends {@code prompt} in {@code session} and waits until the whole reply has been streamed. */
  void reply(String session, String prompt) throws Exception;

  static IOException failed(String what, Process p) {
    return new IOException(what + (p.isAlive() ? "" : " (exited with " + p.exitValue() + ")"));
  }
}
