package goose.acp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The ACP module's packages stay layered: the wire types and JSON-RPC know no agent or transport;
 * the agent knows no transport; no cycles.
 */
class AcpPackagesTest {
  static final JavaClasses ACP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("goose.acp");

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("goose.acp.(*)..").should().beFreeOfCycles().check(ACP);
  }

  @Test
  void protocolAndAgentKnowNoTransport() {
    noClasses()
        .that()
        .resideInAnyPackage("goose.acp.wire..", "goose.acp.rpc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("goose.acp.agent..", "goose.acp.http..", "goose.acp.stdio..")
        .check(ACP);
    noClasses()
        .that()
        .resideInAPackage("goose.acp.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("goose.acp.http..", "goose.acp.stdio..")
        .check(ACP);
  }
}
