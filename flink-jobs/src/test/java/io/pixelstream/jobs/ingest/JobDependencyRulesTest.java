package io.pixelstream.jobs.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The job's module is the job: no deploy tooling, query API or trainer in its main code. */
class JobDependencyRulesTest {

  @Test
  void jobImportsNoDeployModuleNoQueryApiAndNoTrainer() {
    JavaClasses job =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pixelstream.jobs");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.pixelstream.deploy..", "io.pixelstream.query..", "io.pixelstream.trainer..")
        .check(job);
  }
}
