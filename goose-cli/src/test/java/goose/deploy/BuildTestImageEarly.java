package goose.deploy;

import java.util.Optional;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts building the test image ({@link TestImage}) as the test run starts, in the background,
 * when the run includes a class {@link UsesTestImage} and a Docker engine answers. In goose-cli's
 * own build the container tests are isolated (nothing runs beside them) and JUnit runs them after
 * the other classes: the build overlaps those, and the first container test waits only for what is
 * left of it. In bin/test's run (test-runs/goose-cli-containers) they have a test JVM of their own,
 * beside goose-cli's other tests, and the build starts with it. Without an engine, or with no such
 * class selected, it does nothing; a failed build fails the container tests, as before. Registered
 * in META-INF/services of goose-cli's tests.
 */
public final class BuildTestImageEarly implements TestExecutionListener {
  @Override
  public void testPlanExecutionStarted(TestPlan plan) {
    if (usesTestImage(plan) && Docker.available()) TestImage.startBuilding();
  }

  private static boolean usesTestImage(TestPlan plan) {
    return plan.getRoots().stream()
        .flatMap(root -> plan.getDescendants(root).stream())
        .map(TestIdentifier::getSource)
        .flatMap(Optional::stream)
        .anyMatch(BuildTestImageEarly::usesTestImage);
  }

  private static boolean usesTestImage(TestSource source) {
    return source instanceof ClassSource c
        && c.getJavaClass().isAnnotationPresent(UsesTestImage.class);
  }
}
