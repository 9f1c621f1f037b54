package io.pixelstream.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.core.search.LucenePinnedVersion;
import io.pixelstream.core.search.VectorSearch;
import org.junit.jupiter.api.Test;

/**
 * The query API reads the index only through core's backend seam ({@code IndexBackend}, {@code
 * PinnedVersion}); the Lucene backend is named once, where the service picks it.
 */
class QueryDependencyRulesTest {

  private static final JavaClasses API =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.pixelstream.query");

  @Test
  void importsNoLuceneNoFlinkNoTrainerAndNoIndexStorage() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.lucene..",
            "org.apache.flink..",
            "io.pixelstream.trainer..",
            "io.pixelstream.core.index..")
        .because("a second index backend must plug in without touching the query API")
        .check(API);
  }

  @Test
  void usesNoLuceneBackedSearchClass() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(LiveIndex.class, VectorSearch.class, LucenePinnedVersion.class)
        .check(API);
  }
}
