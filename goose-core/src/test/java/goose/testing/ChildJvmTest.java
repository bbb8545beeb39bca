package goose.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChildJvmTest {
  @Test
  void twoModulesClassDirectoriesBecomeTwoJars() {
    // Under `mvn test` a test JVM's class path holds sibling modules' directories too.
    String core = ChildJvm.jarName(Path.of("/repo/goose-core/target/test-classes"));
    String server = ChildJvm.jarName(Path.of("/repo/goose-server/target/test-classes"));
    assertEquals("goose-core-test-classes.jar", core);
    assertNotEquals(core, server);
    assertNotEquals(
        ChildJvm.jarName(Path.of("/repo/goose-core/target/classes")),
        ChildJvm.jarName(Path.of("/repo/goose-server/target/classes")));
  }
}
