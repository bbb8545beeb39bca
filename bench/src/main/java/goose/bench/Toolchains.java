package goose.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this machine has of the two ways to start without building a JVM: a GraalVM native-image
 * builder and a JDK with CRaC (checkpoint/restore, which needs CRIU in the JDK).
 */
final class Toolchains {
  private Toolchains() {}

  static boolean nativeImage(String javaHome) {
    if (Files.isExecutable(Path.of(javaHome, "bin", "native-image"))) return true;
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":", -1))
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "native-image"))) return true;
    return false;
  }

  static boolean crac(String javaHome) {
    return Files.exists(Path.of(javaHome, "lib", "criu"));
  }

  /** One sentence for BENCHMARKS.md, checked on the machine of the run. */
  static String describe(String javaHome) {
    return "On this machine: "
        + (nativeImage(javaHome)
            ? "a native-image builder is installed"
            : "no native-image builder (no GraalVM JDK)")
        + ", and "
        + (crac(javaHome)
            ? "the JDK has CRaC"
            : "the JDK (" + Path.of(javaHome).getFileName() + ") has no CRaC")
        + ".";
  }
}
