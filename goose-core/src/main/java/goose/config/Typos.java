package goose.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Names a person probably meant: the one word of a known set within a couple of edits of what they
 * wrote (a setting's name, a log level). Levenshtein distance, ignoring case; for short words.
 */
public final class Typos {
  /** Further than this, a word is taken as meant, not as a typo. */
  public static final int MAX_EDITS = 2;

  private Typos() {}

  /** The nearest of {@code known} within {@link #MAX_EDITS} of {@code word}; empty otherwise. */
  public static Optional<String> meant(String word, Collection<String> known) {
    String lower = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestEdits = MAX_EDITS + 1;
    for (String candidate : known) {
      int edits = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (edits < bestEdits) {
        best = candidate;
        bestEdits = edits;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The Levenshtein distance of two words. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
