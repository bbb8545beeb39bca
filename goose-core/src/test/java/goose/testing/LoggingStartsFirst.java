package goose.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.LoggerFactory;

/**
 * Starts SLF4J (and so logback) before any test runs. Test classes run side by side, and while one
 * thread starts SLF4J it hands the others a stand-in factory, which the server's log set-up (a cast
 * to logback's context) cannot use. Registered in META-INF/services of goose-core's tests and
 * test-jar, so every module that uses the test-jar starts the same way.
 */
public final class LoggingStartsFirst implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    LoggerFactory.getILoggerFactory();
  }
}
