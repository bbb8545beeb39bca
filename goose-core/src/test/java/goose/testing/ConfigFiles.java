package goose.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A user's config.yaml under a test's home directory, where {@code Config.load} finds it. */
public final class ConfigFiles {
  private ConfigFiles() {}

  /** Writes {@code yaml} as {@code home}'s config.yaml; returns the file. */
  public static Path writeConfig(Path home, String yaml) throws IOException {
    Path file = home.resolve(".config/goose/config.yaml");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, yaml);
  }
}
