package goose.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The server's packages stay layered: no cycles, and the shared HTTP plumbing depends on no route
 * package. Checked here, on the one import of all main code ({@link MainClasses}), rather than in
 * goose-server's tests with an import of its own.
 */
class ServerPackagesTest {
  static final JavaClasses SERVER =
      MainClasses.ALL.that(JavaClass.Predicates.resideInAPackage("goose.server.."));

  @Test
  void subPackagesAreFreeOfCycles() {
    slices().matching("goose.server.(*)..").should().beFreeOfCycles().check(SERVER);
  }

  @Test
  void httpPlumbingAndRouteMachineryDoNotDependOnRoutes() {
    noClasses()
        .that()
        .resideInAnyPackage("goose.server.http..", "goose.server.api..", "goose.server.logging..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "goose.server.session..",
            "goose.server.status..",
            "goose.server.turn..",
            "goose.server.extension..",
            "goose.server.openapi..",
            "goose.server.acp..")
        .check(SERVER);
    noClasses()
        .that()
        .resideInAPackage("goose.server.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("goose.server.api..")
        .check(SERVER);
  }

  /**
   * Route handlers get the services they use as constructor parameters of their group, never the
   * whole ServerContext: only the wiring in goose.server (Services, ServerRoutes, HttpApp) sees it.
   */
  @Test
  void routeHandlersDoNotSeeTheWholeServerContext() {
    noClasses()
        .that()
        .resideOutsideOfPackages("goose.server", "goose.server.api")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(goose.server.api.ServerContext.class)
        .check(SERVER);
  }
}
