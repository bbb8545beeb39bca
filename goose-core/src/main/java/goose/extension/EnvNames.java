package goose.extension;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which environment variable names an extension may set ({@code envs}) or have filled from secrets
 * ({@code env_keys}). A name must be a plain identifier ({@link #check}). Names that change how a
 * program, its interpreter or its package manager finds and loads code ({@link #loadsCode}) could
 * turn an allowed command into a different program, so they are refused unless the operator's
 * allowlist entry for the command names them ({@link Allowlist}).
 *
 * <p>The list is deliberately wide: the search path and the dynamic linker ({@code PATH}, {@code
 * LD_*}, {@code GLIBC_TUNABLES}), shell start-up ({@code BASH_ENV}, {@code ENV}, exported {@code
 * BASH_FUNC_*}), every interpreter's options and library paths (Node, Python, Perl, Ruby, Java,
 * Lua, PHP, R, .NET, Tcl), package managers that download and run code ({@code npm_config_*},
 * {@code YARN_*}, {@code COREPACK_*}, {@code PIP_*}, {@code UV_*}, {@code CARGO_*}, the Go module
 * settings), programs other programs start ({@code EDITOR}, {@code PAGER}, {@code BROWSER}, {@code
 * GIT_*}, {@code LESSOPEN}, {@code CC}), where configuration is read from ({@code HOME}, {@code
 * XDG_*}), and whom network traffic and TLS trust ({@code *_proxy}, {@code SSL_CERT_FILE}). Names
 * are compared in upper case, because several programs read the lower-case spelling too.
 */
public final class EnvNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final int MAX_LENGTH = 128;

  private static final Set<String> LOADS_CODE =
      Set.of(
          // search path, shells
          "PATH",
          "PATHEXT",
          "IFS",
          "ENV",
          "BASH_ENV",
          "SHELLOPTS",
          "BASHOPTS",
          "CDPATH",
          "GLOBIGNORE",
          "INPUTRC",
          "BASH_LOADABLES_PATH",
          "ZDOTDIR",
          "PS0",
          "PS1",
          "PS2",
          "PS3",
          "PS4",
          "PROMPT_COMMAND",
          "SHELL",
          // dynamic linker and C library
          "GLIBC_TUNABLES",
          "GCONV_PATH",
          "LOCPATH",
          "NLSPATH",
          "HOSTALIASES",
          "MALLOC_CHECK_",
          "OPENSSL_CONF",
          "OPENSSL_ENGINES",
          "OPENSSL_MODULES",
          "GIO_MODULE_DIR",
          "GTK_PATH",
          "QT_PLUGIN_PATH",
          "GST_PLUGIN_PATH",
          // Node.js
          "NODE_OPTIONS",
          "NODE_PATH",
          "NODE_EXTRA_CA_CERTS",
          "NODE_REPL_EXTERNAL_MODULE",
          "NODE_TLS_REJECT_UNAUTHORIZED",
          "NODE_ICU_DATA",
          // Python environments
          "VIRTUAL_ENV",
          "CONDA_PREFIX",
          // Perl, Ruby, PHP, Tcl, R
          "RUBYOPT",
          "RUBYLIB",
          "GEM_PATH",
          "GEM_HOME",
          "PHPRC",
          "PHP_INI_SCAN_DIR",
          "TCLLIBPATH",
          "R_PROFILE",
          "R_PROFILE_USER",
          "R_ENVIRON",
          "R_ENVIRON_USER",
          "R_LIBS",
          "R_LIBS_USER",
          // Java
          "JAVA_TOOL_OPTIONS",
          "_JAVA_OPTIONS",
          "JDK_JAVA_OPTIONS",
          "JAVA_OPTS",
          "JAVA_HOME",
          "CLASSPATH",
          "MAVEN_OPTS",
          "GRADLE_OPTS",
          // Go
          "GOROOT",
          "GOPATH",
          "GOBIN",
          "GOFLAGS",
          "GO111MODULE",
          "GOPROXY",
          "GONOPROXY",
          "GOSUMDB",
          "GONOSUMDB",
          "GONOSUMCHECK",
          "GOPRIVATE",
          "GOINSECURE",
          "GOTOOLCHAIN",
          "GOENV",
          "GOEXPERIMENT",
          // Rust
          "RUSTC",
          "RUSTDOC",
          "RUSTC_WRAPPER",
          "RUSTFLAGS",
          // native builds (npm install of a native module runs the compiler)
          "CC",
          "CXX",
          "CPP",
          "LD",
          "AR",
          "CFLAGS",
          "CXXFLAGS",
          "CPPFLAGS",
          "LDFLAGS",
          "LIBS",
          "LIBRARY_PATH",
          "CPATH",
          "MAKE",
          "MAKEFLAGS",
          // programs that other programs start
          "EDITOR",
          "VISUAL",
          "PAGER",
          "MANPAGER",
          "BROWSER",
          "LESSOPEN",
          "LESSCLOSE",
          "EXINIT",
          "VIMINIT",
          "MYVIMRC",
          "SSH_ASKPASS",
          "SUDO_ASKPASS",
          "SSH_AUTH_SOCK",
          "KUBECONFIG",
          "DOCKER_HOST",
          "DOCKER_CONFIG",
          // where configuration is read from
          "HOME",
          "USERPROFILE",
          "APPDATA",
          // network and TLS trust (a package download from elsewhere is code from elsewhere)
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "ALL_PROXY",
          "NO_PROXY",
          "FTP_PROXY",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR",
          "CURL_CA_BUNDLE",
          "REQUESTS_CA_BUNDLE",
          // Windows
          "APPINIT_DLLS",
          "COMSPEC",
          "SYSTEMROOT",
          "WINDIR");

  /** Families of variables: every name starting with one of these. */
  private static final List<String> LOADS_CODE_PREFIXES =
      List.of(
          "LD_",
          "DYLD_",
          "BASH_FUNC_",
          "PYTHON",
          "PIP_",
          "PIPX_",
          "UV_",
          "PYENV_",
          "PERL",
          "RUBY",
          "BUNDLE_",
          "NPM_CONFIG_",
          "YARN_",
          "PNPM_",
          "COREPACK_",
          "ELECTRON_",
          "PUPPETEER_",
          "CARGO_",
          "RUSTUP_",
          "DOTNET_",
          "COREHOST_",
          "LUA_",
          "GIT_",
          "XDG_");

  /**
   * Python settings that only change output or encoding, never what is loaded; so common in MCP
   * server configurations ({@code PYTHONUNBUFFERED=1}) that refusing them would only get in the
   * way.
   */
  private static final Set<String> HARMLESS =
      Set.of("PYTHONUNBUFFERED", "PYTHONIOENCODING", "PYTHONDONTWRITEBYTECODE", "PYTHONUTF8");

  private EnvNames() {}

  /**
   * Throws {@link ExtensionException.Invalid} naming {@code field} when {@code name} is not a valid
   * variable name.
   */
  public static void check(String field, String name) {
    if (name.length() > MAX_LENGTH || !VALID.matcher(name).matches()) {
      throw new ExtensionException.Invalid(
          field, "'" + name + "' is not a valid environment variable name");
    }
  }

  /** Does setting this variable change which code a program runs or how it loads it? */
  public static boolean loadsCode(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (HARMLESS.contains(upper)) return false;
    return LOADS_CODE.contains(upper) || LOADS_CODE_PREFIXES.stream().anyMatch(upper::startsWith);
  }
}
