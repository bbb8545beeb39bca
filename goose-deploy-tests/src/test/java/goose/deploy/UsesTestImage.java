package goose.deploy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that runs the image built from the Dockerfile ({@link TestImage}): when one is
 * in the run and a Docker engine answers, {@link BuildTestImageEarly} starts the build as the test
 * JVM starts. It also tags the class {@code container}, so that a run can leave them out ({@code
 * -DexcludedGroups=container}).
 */
@Tag("container")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface UsesTestImage {}
