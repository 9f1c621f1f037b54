package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import io.pixelstream.query.WatchOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code kafka.fresh-topic}, the query API answers for images (and deletes) before their shard
 * commits them: the shards here publish only at checkpoints, 30 s apart, and every image is found
 * by id, by upload and by similarity long before; once the checkpoint commits them the API holds
 * none in memory any more and the index answers the same, each id once.
 */
class FreshImagesITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final int IMAGES = 100;
  private static final int DELETED = 7;

  @Test
  void imagesAnswerFromTheFreshTopicUntilTheirShardCommitsThem(@TempDir Path work)
      throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(
        bootstrap,
        Map.of(
            "images", 2,
            "images.dlq", 1,
            "images.fresh", 2,
            "images.watches", 1,
            "images.matches", 1),
        Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(IMAGES);
    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
    conf.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(30));
    // Flink starts the first checkpoint at a random time between the minimum pause and the
    // interval: this pins it 30 s after the job starts
    conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofSeconds(30));
    conf.set(IngestOptions.PUBLISH_INTERVAL, Duration.ZERO);
    conf.set(IngestOptions.FRESH_TOPIC, "images.fresh");
    conf.set(IngestOptions.FRESH_MAX_LAG, Duration.ofMinutes(1)); // a slow first batch counts too
    Path index = work.resolve("index");
    QueryOptions options =
        IngestFixtures.queryOptions(work)
            .withWatches(WatchOptions.on(bootstrap).withFreshTopic("images.fresh"));

    JobClient job = IngestFixtures.start(conf, null);
    HttpClient http = HttpClient.newHttpClient();
    try (ImageProducer producer = new ImageProducer(bootstrap, "images");
        QueryService service = QueryService.open(options);
        QueryServer server = QueryServer.start(options, service)) {
      IngestFixtures.produce(producer, images, 0, IMAGES);
      producer.tombstone(IngestFixtures.id(DELETED));
      producer.flush();
      awaitAnswers(http, server.port(), Duration.ofSeconds(60));
      try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
        assertThat(committed.numDocs()).as("no checkpoint yet: nothing committed").isZero();
      }
      assertThat(get(http, server.port(), "/v1/images/" + IngestFixtures.id(3)).body())
          .isEqualTo(IngestFixtures.png(images, 3));
      assertAnswers(service);
      assertThat(freshImagesHeld(http, server.port())).isEqualTo(IMAGES);
      long read = metric(http, server.port(), "pixelstream_query_fresh_lag_seconds_count");
      assertThat(read)
          .as("a lag observed for every image and the delete read (at least once)")
          .isGreaterThanOrEqualTo(IMAGES + 1);
      assertThat(metric(http, server.port(), "pixelstream_query_fresh_delivery_seconds_count"))
          .isEqualTo(read);

      assertThat(CommittedIndex.await(index, model.version(), IMAGES - 1, Duration.ofSeconds(120)))
          .isEqualTo(IMAGES - 1);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (freshImagesHeld(http, server.port()) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(freshImagesHeld(http, server.port()))
          .as("the committed shards hold every image and the delete")
          .isZero();
      awaitAnswers(http, server.port(), Duration.ofSeconds(5));
      assertAnswers(service);
    } finally {
      IngestFixtures.cancel(job);
    }
  }

  /** Every image found by id (the deleted one not) and by upload; no id twice in a search. */
  private static void assertAnswers(QueryService service) throws Exception {
    LabelledImages images = IngestFixtures.testImages(IMAGES);
    for (SearchMode mode : SearchMode.values()) {
      SearchRequest top1 = new SearchRequest(1, mode, null, null, 30);
      SearchResult byUpload = service.searchByImage(IngestFixtures.png(images, 3), top1).result();
      assertThat(byUpload.hits())
          .extracting(SearchResult.Hit::id)
          .containsExactly(IngestFixtures.id(3));
      assertThat(byUpload.hits().get(0).score())
          .as(mode + ": its own vector (embedded alone here, in a batch by the job)")
          .isCloseTo(1f, within(1e-4f));
      SearchResult byId = service.searchById(IngestFixtures.id(5), top1).orElseThrow().result();
      assertThat(byId.hits())
          .extracting(SearchResult.Hit::id)
          .containsExactly(IngestFixtures.id(5));
    }
    assertThat(
            service.searchById(
                IngestFixtures.id(DELETED), new SearchRequest(1, SearchMode.EXACT, null, null, 30)))
        .isEmpty();
    SearchResult all =
        service
            .searchByImage(
                IngestFixtures.png(images, 0),
                new SearchRequest(IMAGES, SearchMode.EXACT, null, null, 30))
            .result();
    Set<String> ids = new HashSet<>();
    all.hits().forEach(h -> assertThat(ids.add(h.id())).as("once: %s", h.id()).isTrue());
    assertThat(ids).hasSize(IMAGES - 1).doesNotContain(IngestFixtures.id(DELETED));
  }

  /** Waits until every image answers {@code GET /v1/images/{id}} and the deleted one 404s. */
  private static void awaitAnswers(HttpClient http, int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int missing = IMAGES;
    while (System.nanoTime() < deadline) {
      missing = 0;
      for (int i = 0; i < IMAGES; i++) {
        int status = get(http, port, "/v1/images/" + IngestFixtures.id(i)).statusCode();
        if (status != (i == DELETED ? 404 : 200)) {
          missing++;
        }
      }
      if (missing == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(missing + " images did not answer as expected within " + timeout);
  }

  private static long freshImagesHeld(HttpClient http, int port) throws Exception {
    return metric(http, port, "pixelstream_query_fresh_images");
  }

  private static long metric(HttpClient http, int port, String name) throws Exception {
    String metrics = new String(get(http, port, "/metrics").body());
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }

  private static HttpResponse<byte[]> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
