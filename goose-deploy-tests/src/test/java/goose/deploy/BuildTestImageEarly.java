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
 * tests are isolated (nothing runs beside them) and JUnit runs them after this module's other
 * classes: the build overlaps those, and the first container test waits only for what is left of
 * it. This module depends on goose-core alone, so in bin/test's run its test JVM, and with it the
 * build, starts right after goose-core's build, beside the other modules' builds and tests. Without
 * an engine, or with no such class selected, it does nothing; a failed build fails the container
 * tests. Registered in META-INF/services of this module's tests.
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
