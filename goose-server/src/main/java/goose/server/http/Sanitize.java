package goose.server.http;

/** Makes client-supplied text safe to echo in an error message or a log line: short, printable. */
public final class Sanitize {
  private Sanitize() {}

  public static String shortText(String s, int max) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max + 1));
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > max ? sb.append('…').toString() : sb.toString();
  }
}
