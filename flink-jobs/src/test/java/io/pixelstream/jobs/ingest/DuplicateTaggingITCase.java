package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.lucene.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest.duplicate-threshold} on a real broker: copies of indexed images (found in the live
 * index by a job restored since) and copies arriving right behind their originals (found among the
 * images not searchable yet) are stored with {@code duplicateOf} and announced with watch id {@code
 * duplicate}; the originals are not; a search with duplicates excluded leaves the copies out.
 */
class DuplicateTaggingITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final int ORIGINALS = 300;
  private static final int COPIES = 50;
  private static final int PAIRS = 20;

  @Test
  void copiesAreTaggedAndAnnouncedOriginalsAreNot(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    // one partition: a copy right behind its original reaches the lookup after it
    KafkaTopics.ensure(
        bootstrap,
        Map.of("images", 1, "images.dlq", 1, "images.watches", 1, "images.matches", 1),
        Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
    conf.set(IngestOptions.WATCH_ENABLED, true);
    conf.set(IngestOptions.DUPLICATE_THRESHOLD, 0.9);
    LabelledImages images = IngestFixtures.testImages(ORIGINALS + PAIRS);
    Path index = work.resolve("index");
    int total = ORIGINALS + COPIES + 2 * PAIRS;

    JobClient job = IngestFixtures.start(conf, null);
    try (ImageProducer producer = new ImageProducer(bootstrap, "images");
        MatchCollector matches = new MatchCollector(bootstrap, "images.matches")) {
      for (int i = 0; i < ORIGINALS; i++) {
        producer.send("o/" + i, IngestFixtures.png(images, i), null);
      }
      producer.flush();
      CommittedIndex.await(index, model.version(), ORIGINALS, Duration.ofSeconds(120));
      // a restored job remembers no recent images: the copies below are found in the index
      Thread.sleep(1500); // a checkpoint after the last original
      IngestFixtures.cancel(job);
      job =
          IngestFixtures.start(
              conf,
              IngestRecoveryITCase.latestCheckpoint(work.resolve("checkpoints")).orElseThrow());
      for (int i = 0; i < COPIES; i++) {
        producer.send("c/" + i, IngestFixtures.png(images, i), null); // a copy of o/i
      }
      for (int i = 0; i < PAIRS; i++) {
        byte[] png = IngestFixtures.png(images, ORIGINALS + i);
        producer.send("n/" + i, png, null);
        producer.send("nc/" + i, png, null); // right behind its original
      }
      producer.flush();
      CommittedIndex.await(index, model.version(), total, Duration.ofSeconds(120));
      matches.awaitCount(COPIES + PAIRS, Duration.ofSeconds(60));
      Thread.sleep(1000); // a tagged original would show now

      Map<String, String> expected = new HashMap<>();
      for (int i = 0; i < COPIES; i++) {
        expected.put("c/" + i, "o/" + i);
      }
      for (int i = 0; i < PAIRS; i++) {
        expected.put("nc/" + i, "n/" + i);
      }
      Map<String, String> announced = new HashMap<>();
      for (MatchEvent e : matches.events()) {
        assertThat(e.watchId()).isEqualTo(Watch.DUPLICATE);
        assertThat(e.score()).isGreaterThanOrEqualTo(0.9);
        assertThat(announced.put(e.imageId(), e.duplicateOf()))
            .as("once: %s", e.imageId())
            .isNull();
      }
      assertThat(announced).isEqualTo(expected);
      try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
        Map<String, List<Document>> byId = committed.documentsById();
        assertThat(byId).hasSize(total);
        byId.forEach(
            (id, docs) ->
                assertThat(docs.get(0).get(IndexFields.DUPLICATE_OF))
                    .as("duplicateOf of %s", id)
                    .isEqualTo(expected.get(id)));
      }

      QueryOptions options = IngestFixtures.queryOptions(work);
      try (QueryService service = QueryService.open(options)) {
        byte[] query = IngestFixtures.png(images, 3);
        SearchResult all =
            service
                .searchByImage(query, new SearchRequest(5, SearchMode.EXACT, null, null, 5))
                .result();
        SearchResult originals =
            service
                .searchByImage(query, new SearchRequest(5, SearchMode.EXACT, null, null, 5, true))
                .result();
        assertThat(all.hits()).extracting(SearchResult.Hit::id).contains("o/3", "c/3");
        assertThat(originals.hits())
            .extracting(SearchResult.Hit::id)
            .contains("o/3")
            .noneMatch(id -> id.startsWith("c/") || id.startsWith("nc/"));
      }
    } finally {
      IngestFixtures.cancel(job);
    }
  }
}
