package goose.deploy;

import java.util.Optional;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts building the test image ({@link TestImage}) as the test run starts, in the background,
 * when the run includes a class {@link UsesTestImage} and a Docker engine answers. The container
 * tests are isolated (nothing runs beside them) and JUnit runs them after the other classes: the
 * build used to start there, with the rest of the JVM idle; now it overlaps the other classes, and
 * the first container test waits only for what is left of it. Without an engine, or with no such
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
