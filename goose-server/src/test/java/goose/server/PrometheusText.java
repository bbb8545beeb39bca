package goose.server;

import java.util.Arrays;
import java.util.Optional;

/** Reads one sample out of a Prometheus text exposition, by metric name and some of its labels. */
final class PrometheusText {
  private PrometheusText() {}

  /**
   * The value of the first sample named {@code name} carrying every {@code key="value"} label
   * given.
   */
  static Optional<Double> sample(String text, String name, String... labels) {
    return text.lines()
        .filter(l -> !l.startsWith("#"))
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(
            l ->
                Arrays.stream(labels)
                    .allMatch(label -> l.contains(label.replaceFirst("=(.*)", "=\"$1\""))))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst();
  }
}
