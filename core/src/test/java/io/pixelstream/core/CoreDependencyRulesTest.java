package io.pixelstream.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** core/ is framework-free: no Flink, Kafka or HTTP server code may reach it. */
class CoreDependencyRulesTest {

  @Test
  void coreImportsNoStreamingOrHttpFramework() {
    JavaClasses core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pixelstream.core");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink..",
            "org.apache.kafka..",
            "com.sun.net.httpserver..",
            "io.helidon..",
            "io.javalin..",
            "jakarta.servlet..",
            "javax.servlet..",
            "org.eclipse.jetty..",
            "io.netty..")
        .because("core holds framework-free logic; adapters live in flink-jobs and query-api")
        .check(core);
  }
}
