package goose.agent;

/**
 * Whether the owner of a running turn still exists: a user removed ({@code goose users remove}, in
 * any process or instance on the store) may not go on acting through a turn started before. Asked
 * before each model call and each tool call of a turn ({@link TurnControl#ownerActive()}), and for
 * every owner with a running turn by {@link TurnService}'s periodic sweep, which stops a turn
 * waiting on a long model reply or tool call. Implementations read the store (a cached flag would
 * miss a removal made through another process or instance).
 */
@FunctionalInterface
public interface TurnOwners {
  /** Every owner exists (one user: auth none or secret; proxy users are not kept in a store). */
  TurnOwners ANY = owner -> true;

  /** Whether {@code owner} (the id that owns the turn's session) still exists. */
  boolean exists(String owner);
}
