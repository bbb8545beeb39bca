package goose.builtins.developer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Command output kept within bounds: the first and last limit/2 bytes, with the size of the cut
 * noted between them, so a runaway command cannot fill memory or the model's context. The limit is
 * the sandbox's {@code GOOSE_SANDBOX_MAX_OUTPUT_BYTES}.
 */
final class OutputBuffer {
  private final int half;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private final byte[] tail;
  private int tailStart;
  private int tailLength;
  private long dropped;

  OutputBuffer(int limit) {
    this.half = limit / 2;
    this.tail = new byte[half];
  }

  synchronized void append(byte[] bytes, int length) {
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

  synchronized String text() {
    String first = head.toString(StandardCharsets.UTF_8);
    byte[] last = new byte[tailLength];
    for (int i = 0; i < tailLength; i++) last[i] = tail[(tailStart + i) % half];
    String end = new String(last, StandardCharsets.UTF_8);
    if (dropped == 0) return first + end;
    return first + "\n[... output truncated: " + dropped + " bytes omitted ...]\n" + end;
  }
}
