package goose.session;

import java.util.Objects;

/**
 * A running turn whose lease an instance has just renewed, and whether a cancel was asked for it
 * anywhere.
 */
public record HeldTurn(String sessionId, String turnId, boolean cancelRequested) {
  public HeldTurn {
    Objects.requireNonNull(sessionId);
    Objects.requireNonNull(turnId);
  }
}
