package goose.cli;

import goose.config.Config;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the CLI reads from the outside world, passed in rather than reached for, so tests run
 * the real command line in-process with their own environment, home directory and captured streams.
 */
public record CliEnvironment(
    Map<String, String> env, Path home, InputStream in, PrintStream out, PrintStream err) {

  public CliEnvironment {
    env = Map.copyOf(env);
  }

  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        goose.config.GoosePaths.home(System.getenv()),
        System.in,
        System.out,
        System.err);
  }

  /** Loads the configuration; a broken file throws {@link goose.config.ConfigException}. */
  public Config loadConfig() {
    return Config.load(env, home);
  }
}
