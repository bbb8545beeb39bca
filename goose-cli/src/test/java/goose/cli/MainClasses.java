package goose.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * The compiled main code of every module (package {@code goose}), imported once per test JVM for
 * all the ArchUnit rules ({@link ArchitectureTest}, {@link ServerPackagesTest}): the import is most
 * of their cost (docs/benchmarks.md, "The test suite"). goose-cli's tests are the only ones with
 * every module on the class path.
 */
final class MainClasses {
  /** Main code only: test classes and test jars may wire modules together freely. */
  private static final ImportOption MAIN_CODE_ONLY =
      (Location location) ->
          !location.contains("/test-classes/") && !location.contains("-tests.jar");

  static final JavaClasses ALL =
      new ClassFileImporter().withImportOption(MAIN_CODE_ONLY).importPackages("goose");

  private MainClasses() {}
}
