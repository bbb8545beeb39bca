package goose.cli;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts the training run of the class archive for child JVMs as this test JVM's run starts, so
 * that the children of the first test classes already map it; before, the first {@link CliProcess}
 * started it, and the classes that start {@code goose} through {@code ChildJvm} alone ran without
 * it until then. Registered in META-INF/services of goose-cli's tests (goose-cli has no test-jar,
 * so no other module's test JVM trains a {@code goose server} start because of it).
 */
public final class TrainChildJvmArchive implements TestExecutionListener {
  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    if (plan.containsTests()) CliProcess.trainArchive();
  }
}
