package goose.cli;

import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts the training run of the class archive for child JVMs as this test JVM's run starts, so
 * that the children of the first test classes already map it; before, the first {@link CliProcess}
 * started it, and the classes that start {@code goose} through {@code ChildJvm} alone ran without
 * it until then. A run of the container tests alone (test-runs/goose-cli-containers, tag {@code
 * container}) starts no child JVM, so it trains nothing, and leaves target/child-jvm to the test
 * JVM of goose-cli's other tests, which runs beside it. Registered in META-INF/services of
 * goose-cli's tests (goose-cli has no test-jar, so no other module's test JVM trains a {@code goose
 * server} start because of it).
 */
public final class TrainChildJvmArchive implements TestExecutionListener {
  private static final TestTag CONTAINER = TestTag.create("container");

  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    if (hasClassBeyondTheContainerTests(plan)) CliProcess.trainArchive();
  }

  private static boolean hasClassBeyondTheContainerTests(TestPlan plan) {
    return plan.getRoots().stream()
        .flatMap(root -> plan.getDescendants(root).stream())
        .filter(TestIdentifier::isTest)
        .anyMatch(test -> !test.getTags().contains(CONTAINER));
  }
}
