package goose.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The module dependency direction, checked on the compiled main code of every module: goose-cli ->
 * goose-server -> goose-acp -> goose-core, goose-builtins -> goose-core. Maven already refuses an
 * import of a module that is not a dependency; this catches what Maven cannot see, such as the core
 * reaching for Javalin through a transitive jar or the builtins reaching into the server.
 */
// First among the module's classes (the POM orders classes by @Order): it starts no goose JVM, so
// it runs while the class archive for those trains, which they wait for (ChildJvm.TRAINING_WAIT).
@Order(1)
class ArchitectureTest {
  private static final JavaClasses classes = MainClasses.ALL;

  /** Classes compiled from a module, recognised by the directory or jar they were loaded from. */
  static DescribedPredicate<JavaClass> inModule(String module) {
    return DescribedPredicate.describe(
        "in module " + module,
        c ->
            c.getSource()
                .map(s -> s.getUri().toString())
                .filter(uri -> uri.contains("/" + module + "/") || uri.contains("/" + module + "-"))
                .isPresent());
  }

  /**
   * No cycle between the top-level packages of any module (goose.event, goose.session, goose.agent,
   * ...): each can be read, tested and changed with only the packages below it in mind.
   */
  @Test
  void topLevelPackagesAreFreeOfCycles() {
    slices().matching("goose.(*)..").should().beFreeOfCycles().check(classes);
  }

  /**
   * No cycle between any two packages of the core, sub-packages included: goose.provider (the
   * provider contract) knows nothing of goose.provider.openai and its siblings (the wire formats),
   * and goose.provider.configured (the factory that picks one) sits above both.
   */
  @Test
  void corePackagesIncludingSubPackagesAreFreeOfCycles() {
    slices()
        .matching("goose.(**)")
        .should()
        .beFreeOfCycles()
        .check(classes.that(inModule("goose-core")));
  }

  @Test
  void everyModuleIsOnTheClasspathBeingChecked() {
    assertThat(classes.contain(goose.config.Config.class)).isTrue();
    assertThat(classes.stream().filter(inModule("goose-core"))).isNotEmpty();
    assertThat(classes.stream().filter(inModule("goose-server"))).isNotEmpty();
    assertThat(classes.stream().filter(inModule("goose-acp"))).isNotEmpty();
    assertThat(classes.stream().filter(inModule("goose-builtins"))).isNotEmpty();
    assertThat(classes.stream().filter(inModule("goose-cli"))).isNotEmpty();
  }

  @Test
  void coreDependsOnNoServerCliBuiltinsOrHttpFramework() {
    noClasses()
        .that(inModule("goose-core"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "goose.server..",
            "goose.cli..",
            "goose.builtins..",
            "goose.acp..",
            "io.javalin..",
            "org.eclipse.jetty..")
        .check(classes);
  }

  /**
   * The ACP face is a module of its own on the core: protocol, projection and transports, with no
   * HTTP framework (the server mounts its HTTP/WebSocket part) and no way back up.
   */
  @Test
  void acpDependsOnTheCoreOnly() {
    noClasses()
        .that(inModule("goose-acp"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "goose.server..",
            "goose.cli..",
            "goose.builtins..",
            "io.javalin..",
            "org.eclipse.jetty..",
            "jakarta.servlet..")
        .check(classes);
  }

  @Test
  void builtinsDependOnNeitherServerNorCli() {
    noClasses()
        .that(inModule("goose-builtins"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("goose.server..", "goose.cli..", "goose.acp..", "io.javalin..")
        .check(classes);
  }

  @Test
  void serverDoesNotDependOnTheCli() {
    noClasses()
        .that(inModule("goose-server"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage("goose.cli..")
        .check(classes);
  }
}
