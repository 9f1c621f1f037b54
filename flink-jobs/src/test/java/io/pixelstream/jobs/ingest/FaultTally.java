package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.deploy.kafka.KafkaTopics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;

/**
 * What a fault test reports once the service is back: images produced (ids {@code 0..produced-1} of
 * {@link IngestFixtures#id}), of which the first {@code deletes} multiples of 100 were deleted
 * afterwards; documents indexed, records dead-lettered, ids lost and ids indexed twice.
 */
record FaultTally(
    String fault,
    int produced,
    int deletes,
    int indexed,
    long deadLettered,
    int lost,
    int duplicated) {

  /** Counts the committed index of {@code version} and the dead-letter topic. */
  static FaultTally count(
      String fault, Path index, String version, String bootstrap, int produced, int deletes)
      throws IOException {
    int lost = 0;
    int duplicated = 0;
    int indexed;
    try (CommittedIndex committed = new CommittedIndex(index, version)) {
      Map<String, List<Document>> byId = committed.documentsById();
      for (int i = 0; i < produced; i++) {
        List<Document> docs = byId.getOrDefault(IngestFixtures.id(i), List.of());
        if (i % 100 == 0 && i < deletes * 100) {
          assertThat(docs).as("deleted %s", IngestFixtures.id(i)).isEmpty();
        } else if (docs.isEmpty()) {
          lost++;
        } else if (docs.size() > 1) {
          duplicated++;
        }
      }
      indexed = committed.numDocs();
    }
    long deadLettered = KafkaTopics.recordCount(bootstrap, "images.dlq");
    return new FaultTally(fault, produced, deletes, indexed, deadLettered, lost, duplicated);
  }

  /** Prints the figures, then checks nothing was lost, duplicated or dead-lettered. */
  void printAndCheck() {
    System.out.printf(
        "%s: produced %d + %d deletes, indexed %d, dead-lettered %d, lost %d, duplicated %d%n",
        fault, produced, deletes, indexed, deadLettered, lost, duplicated);
    assertThat(lost).as("lost").isZero();
    assertThat(duplicated).as("duplicated").isZero();
    assertThat(indexed).as("indexed").isEqualTo(produced - deletes);
    assertThat(deadLettered).as("dead-lettered").isZero();
  }
}
