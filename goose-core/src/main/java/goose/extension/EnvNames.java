package goose.extension;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which environment variable names an extension may set. Names that change how a program or its
 * interpreter is loaded (the search path, preloaded libraries, interpreter start-up options) could
 * turn an allowed command into a different program, so they are refused outright.
 */
public final class EnvNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Set<String> REFUSED =
      Set.of(
          "PATH",
          "PATHEXT",
          "IFS",
          "ENV",
          "BASH_ENV",
          "SHELLOPTS",
          "BASHOPTS",
          "PS4",
          "PROMPT_COMMAND",
          "NODE_OPTIONS",
          "NODE_PATH",
          "NODE_EXTRA_CA_CERTS",
          "PYTHONPATH",
          "PYTHONHOME",
          "PYTHONSTARTUP",
          "PYTHONINSPECT",
          "PYTHONUSERBASE",
          "PERL5LIB",
          "PERLLIB",
          "PERL5OPT",
          "RUBYOPT",
          "RUBYLIB",
          "GEM_PATH",
          "GEM_HOME",
          "JAVA_TOOL_OPTIONS",
          "_JAVA_OPTIONS",
          "JDK_JAVA_OPTIONS",
          "CLASSPATH",
          "GOROOT",
          "GOFLAGS",
          "GO111MODULE",
          "GCONV_PATH",
          "HOSTALIASES",
          "LOCPATH",
          "NLSPATH",
          "MALLOC_CHECK_",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR",
          "CURL_CA_BUNDLE",
          "GIT_SSH_COMMAND",
          "APPINIT_DLLS",
          "COMSPEC",
          "SYSTEMROOT",
          "WINDIR");

  private EnvNames() {}

  /**
   * Throws {@link ExtensionException.Invalid} naming {@code field} when {@code name} may not be
   * set.
   */
  public static void check(String field, String name) {
    if (!VALID.matcher(name).matches()) {
      throw new ExtensionException.Invalid(
          field, "'" + name + "' is not a valid environment variable name");
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (REFUSED.contains(upper) || upper.startsWith("LD_") || upper.startsWith("DYLD_")) {
      throw new ExtensionException.Invalid(
          field,
          "setting " + name + " is not allowed: it can change which program runs or how it loads");
    }
  }
}
