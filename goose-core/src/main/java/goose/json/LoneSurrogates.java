package goose.json;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds a {@code \\uD800}-{@code \\uDFFF} escape in JSON text that is not one half of a pair.
 * Jackson accepts such an escape and yields a string that is not valid Unicode; stored, it came
 * back as {@code ?} (UTF-8 cannot encode it), so text a client sent would be changed without a
 * word. RFC 8259 §8.2 leaves such strings' behaviour unpredictable; the inputs that take text from
 * clients (REST bodies, ACP messages, imported sessions) refuse them instead. Raw (unescaped)
 * surrogates need no check: Jackson refuses them as invalid UTF-8.
 *
 * <p>Written here rather than taken from a library: Jackson has no such check, and the scan is a
 * single pass over text that has already parsed as JSON, so every backslash starts an escape.
 */
public final class LoneSurrogates {
  private LoneSurrogates() {}

  /** {@link #find(CharSequence)} of UTF-8 bytes; the offset named is a byte offset. */
  public static Optional<String> find(byte[] utf8) {
    // Escapes are ASCII, so the bytes read one char each keep them, each at its byte offset; read
    // in place, not copied: every request body passes here.
    return find(new BytesAsChars(utf8));
  }

  /** The bytes as chars, one each (Latin-1), without copying them. */
  private static final class BytesAsChars implements CharSequence {
    private final byte[] bytes;

    BytesAsChars(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    public char charAt(int index) {
      return (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** Where the first lone surrogate escape is, as a message naming it; empty when there is none. */
  public static Optional<String> find(CharSequence json) {
    int length = json.length();
    int i = 0;
    while (i < length) {
      if (json.charAt(i) != '\\') {
        i++;
        continue;
      }
      int unit = escapedUnit(json, i);
      if (unit < 0) {
        i += 2; // \" \\ \n and the like
        continue;
      }
      if (Character.isHighSurrogate((char) unit)
          && Character.isLowSurrogate((char) escapedUnit(json, i + 6))) {
        i += 12;
        continue;
      }
      if (Character.isSurrogate((char) unit)) {
        return Optional.of(
            String.format(
                "the escape \\u%04x at offset %d is half of a UTF-16 surrogate pair without its"
                    + " other half; JSON text must be valid Unicode",
                unit, i));
      }
      i += 6;
    }
    return Optional.empty();
  }

  /** The code unit of a {@code \\uXXXX} escape at {@code at}, or -1 when there is none there. */
  private static int escapedUnit(CharSequence json, int at) {
    if (at + 6 > json.length() || json.charAt(at) != '\\' || json.charAt(at + 1) != 'u') return -1;
    int unit = 0;
    for (int k = at + 2; k < at + 6; k++) {
      int digit = Character.digit(json.charAt(k), 16);
      if (digit < 0) return -1;
      unit = unit * 16 + digit;
    }
    return unit;
  }
}
