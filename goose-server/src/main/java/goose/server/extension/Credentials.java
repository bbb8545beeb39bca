package goose.server.extension;

import goose.approval.Redactor;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Masks the credentials of an extension's launch for users who may read but not configure it. */
final class Credentials {
  static final String MASK = "****";

  private Credentials() {}

  /**
   * The URL without its secrets: the user-info ({@code user:password@}) and every query value are
   * masked, the fragment dropped; scheme, host, port and path stay, so people can tell which server
   * it is.
   */
  static String uri(URI uri) {
    StringBuilder sb = new StringBuilder();
    sb.append(uri.getScheme()).append("://");
    if (uri.getRawUserInfo() != null) sb.append(MASK).append('@');
    sb.append(uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1));
    if (uri.getRawPath() != null) sb.append(uri.getRawPath());
    if (uri.getRawQuery() != null) {
      List<String> params = new ArrayList<>();
      for (String param : uri.getRawQuery().split("&", -1)) {
        int eq = param.indexOf('=');
        params.add(eq < 0 ? param : param.substring(0, eq + 1) + MASK);
      }
      sb.append('?').append(String.join("&", params));
    }
    return sb.toString();
  }

  /** The arguments of {@code cmd} with secrets masked ({@link Redactor#redactArgv}). */
  static List<String> args(String cmd, List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(cmd);
    argv.addAll(args);
    return Redactor.redactArgv(argv).subList(1, argv.size());
  }
}
