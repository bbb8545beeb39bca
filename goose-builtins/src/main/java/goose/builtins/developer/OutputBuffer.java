package goose.builtins.developer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Command output kept within bounds: the first and last {@link #LIMIT}/2 bytes, with the size of
 * the cut noted between them, so a runaway command cannot fill memory or the model's context.
 */
final class OutputBuffer {
  static final int LIMIT = 64 * 1024;
  private static final int HALF = LIMIT / 2;

  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private final byte[] tail = new byte[HALF];
  private int tailStart;
  private int tailLength;
  private long dropped;

  synchronized void append(byte[] bytes, int length) {
    int i = 0;
    if (head.size() < HALF) {
      int take = Math.min(HALF - head.size(), length);
      head.write(bytes, 0, take);
      i = take;
    }
    for (; i < length; i++) {
      if (tailLength == HALF) {
        tailStart = (tailStart + 1) % HALF;
        tailLength--;
        dropped++;
      }
      tail[(tailStart + tailLength) % HALF] = bytes[i];
      tailLength++;
    }
  }

  synchronized String text() {
    String first = head.toString(StandardCharsets.UTF_8);
    byte[] last = new byte[tailLength];
    for (int i = 0; i < tailLength; i++) last[i] = tail[(tailStart + i) % HALF];
    String end = new String(last, StandardCharsets.UTF_8);
    if (dropped == 0) return first + end;
    return first + "\n[... output truncated: " + dropped + " bytes omitted ...]\n" + end;
  }
}
