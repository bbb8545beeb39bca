package goose.pricing;

import java.util.OptionalDouble;

/** Sums of cost estimates, each possibly unknown (a model without a price). */
public final class Costs {
  private Costs() {}

  /** The sum of what is known; empty only when both are unknown. */
  public static OptionalDouble plus(OptionalDouble a, OptionalDouble b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return OptionalDouble.of(a.getAsDouble() + b.getAsDouble());
  }
}
