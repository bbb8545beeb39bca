package goose.error;

/** Questions about an exception's chain of causes. */
public final class Causes {
  private Causes() {}

  /** Whether {@code e} or one of its causes is a {@code type}. */
  public static boolean include(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }
}
