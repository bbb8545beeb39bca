package goose.builtins.developer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Command output kept within bounds for the model: at most {@link #MAX_LINES} lines (goose's limit)
 * and the sandbox's {@code GOOSE_SANDBOX_MAX_OUTPUT_BYTES}, the beginning and the end with a notice
 * of what was cut between them, so a runaway command cannot fill memory or the model's context.
 * What was cut is not lost: the whole output is saved in the working directory ({@link FullOutput})
 * and the notice gives its path.
 */
final class OutputBuffer {
  static final int MAX_LINES = 2_000;

  private final int half;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private final byte[] tail;
  private final FullOutput full;
  private int tailStart;
  private int tailLength;
  private long dropped;

  /**
   * @param limit the bytes kept for the model
   * @param full where the whole output goes once it is too long
   */
  OutputBuffer(int limit, FullOutput full) {
    this.half = limit / 2;
    this.tail = new byte[half];
    this.full = full;
  }

  synchronized void append(byte[] bytes, int length) {
    full.append(bytes, length);
    int i = 0;
    if (head.size() < half) {
      int take = Math.min(half - head.size(), length);
      head.write(bytes, 0, take);
      i = take;
    }
    for (; i < length; i++) {
      if (tailLength == half) {
        tailStart = (tailStart + 1) % half;
        tailLength--;
        dropped++;
      }
      tail[(tailStart + tailLength) % half] = bytes[i];
      tailLength++;
    }
  }

  /** The output as the model gets it; call once the command's output has ended. */
  synchronized String text() {
    full.close();
    String first = head.toString(StandardCharsets.UTF_8);
    byte[] last = new byte[tailLength];
    for (int i = 0; i < tailLength; i++) last[i] = tail[(tailStart + i) % half];
    String end = new String(last, StandardCharsets.UTF_8);
    boolean whole = dropped == 0;
    String output = whole ? first + end : "";
    String lastPart = end.isEmpty() ? first : end;
    long total = full.newlines() + (lastPart.isEmpty() || lastPart.endsWith("\n") ? 0 : 1);
    if (whole && total <= MAX_LINES) {
      full.discard();
      return output;
    }
    // Half of the lines from the start, half from the end, within the bytes kept of each.
    String shownHead = firstLines(whole ? output : first, MAX_LINES / 2);
    Tail shownTail = lastLines(whole ? output : end, MAX_LINES / 2, whole);
    String hidden;
    if (shownHead.endsWith("\n") && shownTail.startsALine()) {
      long headLines = shownHead.chars().filter(c -> c == '\n').count();
      long tailLines = shownTail.text().lines().count();
      hidden = "lines " + (headLines + 1) + " to " + (total - tailLines) + " are not shown";
    } else {
      long shownBytes =
          (long) shownHead.getBytes(StandardCharsets.UTF_8).length
              + shownTail.text().getBytes(StandardCharsets.UTF_8).length;
      hidden = (full.bytes() - shownBytes) + " bytes in the middle are not shown";
    }
    return shownHead
        + (shownHead.endsWith("\n") ? "" : "\n")
        + "[... output truncated: "
        + total
        + " lines ("
        + full.bytes()
        + " bytes) in all; "
        + hidden
        + ". "
        + where(shownHead.lines().count() + 1)
        + " ...]\n"
        + shownTail.text();
  }

  private String where(long firstHidden) {
    if (full.path().isPresent() && full.failure().isEmpty()) {
      String p = full.path().get().toString();
      return "The whole output is saved in "
          + p
          + ": read it in parts (sed -n '"
          + firstHidden
          + ","
          + (firstHidden + 199)
          + "p' "
          + p
          + ", grep, tail) rather than running the command again.";
    }
    return "The whole output could not be saved"
        + full.failure().map(f -> " (" + f + ")").orElse("")
        + ": narrow the command down (grep, head, tail) to see the rest.";
  }

  /** At most {@code n} lines from the start (the whole text when it has fewer line breaks). */
  static String firstLines(String text, int n) {
    int at = 0;
    for (int i = 0; i < n; i++) {
      int nl = text.indexOf('\n', at);
      if (nl < 0) return text;
      at = nl + 1;
    }
    return text.substring(0, at);
  }

  /** The end of the output as shown, and whether it starts at the start of a line. */
  record Tail(String text, boolean startsALine) {}

  /**
   * At most {@code n} lines from the end; the whole text when it has fewer line breaks, which
   * starts a line only when it is the start of the output ({@code atOutputStart}).
   */
  static Tail lastLines(String text, int n, boolean atOutputStart) {
    int start = text.endsWith("\n") ? text.length() - 1 : text.length();
    for (int i = 0; i < n; i++) {
      int nl = text.lastIndexOf('\n', start - 1);
      if (nl < 0) return new Tail(text, atOutputStart);
      start = nl;
    }
    return new Tail(text.substring(start + 1), true);
  }
}
