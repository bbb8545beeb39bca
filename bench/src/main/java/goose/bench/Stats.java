package goose.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of a sample (nearest rank). */
record Stats(int count, double p50, double p99, double max) {
  static Stats of(long[] values, double scale) {
    if (values.length == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
    long[] v = values.clone();
    Arrays.sort(v);
    return new Stats(
        v.length,
        v[rank(v.length, 0.50)] / scale,
        v[rank(v.length, 0.99)] / scale,
        v[v.length - 1] / scale);
  }

  static Stats of(Collection<Long> values, double scale) {
    return of(values.stream().mapToLong(Long::longValue).toArray(), scale);
  }

  private static int rank(int n, double q) {
    return Math.min(n - 1, Math.max(0, (int) Math.ceil(q * n) - 1));
  }
}
