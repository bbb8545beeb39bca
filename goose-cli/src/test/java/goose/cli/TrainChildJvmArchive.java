package goose.cli;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the training run of the class archive for child JVMs as this test JVM starts, so that the
 * children of the first test classes already map it; before, the first {@link CliProcess} started
 * it, and the classes that start {@code goose} through {@code ChildJvm} alone ran without it until
 * then. Registered in META-INF/services of goose-cli's tests (goose-cli has no test-jar, so no
 * other module's test JVM trains a {@code goose server} start because of it).
 */
public final class TrainChildJvmArchive implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    CliProcess.trainArchive();
  }
}
