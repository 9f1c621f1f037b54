package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.deploy.solr.SolrCloudExtension;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import io.pixelstream.solr.SolrIndexBackend;
import io.pixelstream.solr.SolrIndexSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.solr.common.SolrDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model promotion on SolrCloud with the query API over HTTP following the alias: images indexed
 * under model A; B promoted while new images, new versions of old images and deletes arrive and a
 * client keeps querying. No answer fails or mixes versions (none from A after one from B), the
 * alias moves once B's collection caught up, and B's collection ends with exactly the live ids,
 * each embedded by B; a rollback to A's kept collection ends with the live ids too; the API's
 * by-id, stats and clusters answers work on Solr.
 */
class SolrModelRefreshITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  @RegisterExtension static final SolrCloudExtension SOLR = new SolrCloudExtension();

  private static final int BEFORE = 800;
  private static final int AFTER = 300;
  private static final String ALIAS = "refresh";

  @RegisterExtension static final SolrCollections COLLECTIONS = new SolrCollections(SOLR);

  /** Images of the restart test, whose backfill copies 2 at a time so that it can be killed. */
  private static final int RESUME_IMAGES = 400;

  @Test
  void promotionBackfillsThenMovesTheAliasWithoutAFailedQuery(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of(ALIAS, 2, ALIAS + ".dlq", 1), Duration.ofSeconds(30));
    ModelRegistry registry = IngestFixtures.registry(work, "model-a", "model-b");
    ModelArtifact b = registry.read("model-b");
    LabelledImages images = IngestFixtures.testImages(BEFORE + AFTER + 50);
    Configuration conf = IngestFixtures.registryConf(bootstrap, registry, work, ALIAS, 2, false);
    conf.set(IngestOptions.BACKFILL_BATCH_SIZE, 64);
    conf.set(IngestOptions.INDEX_BACKEND, IndexBackendKind.SOLR);
    conf.set(IngestOptions.SOLR_CONNECT, SOLR.cloud().zkHost());
    conf.set(IngestOptions.SOLR_ALIAS, ALIAS);
    JobClient job = IngestFixtures.start(conf, null);

    Map<String, byte[]> latest = new HashMap<>();
    QueryOptions options =
        new QueryOptions(
            0,
            null,
            registry.root(),
            work.resolve("unused-index"),
            64 * 1024,
            100,
            100,
            4,
            1,
            100,
            ApiAccess.LOCAL,
            QueryOptions.Embedding.DEFAULT,
            SolrIndexSettings.forQueries(SOLR.cloud().zkHost(), ALIAS),
            0,
            null);
    try (ImageProducer producer = new ImageProducer(bootstrap, ALIAS)) {
      IngestFixtures.send(producer, images, latest, 0, BEFORE);
      awaitCount(ALIAS + "_model-a", BEFORE);
      try (QueryService service = QueryService.open(options);
          QueryServer server = QueryServer.start(options, service)) {
        assertThat(service.modelVersion()).isEqualTo("model-a");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, server, "/v1/stats")).contains("\"documents\":" + BEFORE);
        assertThat(get(http, server, "/v1/clusters")).contains("\"sampleIds\"");
        assertThat(get(http, server, "/v1/images/" + IngestFixtures.id(3) + "/similar?k=3"))
            .contains(IngestFixtures.id(3));

        VersionQuerier querier = new VersionQuerier(server.port(), images, BEFORE - 200, BEFORE);
        Thread queries = new Thread(querier, "it-queries");
        queries.start();
        Thread.sleep(300);
        registry.makeCurrent(b.version(), "promote", Map.of());
        Random random = new Random(5);
        for (int i = BEFORE; i < BEFORE + AFTER; i += 20) {
          IngestFixtures.send(producer, images, latest, i, i + 20);
          String update = IngestFixtures.id(random.nextInt(BEFORE));
          byte[] other = IngestFixtures.png(images, BEFORE + AFTER + random.nextInt(50));
          producer.send(update, other, 0);
          latest.put(update, other);
          String gone = IngestFixtures.id(BEFORE - 1 - random.nextInt(200)); // never queried
          producer.tombstone(gone);
          latest.remove(gone);
          producer.flush();
          Thread.sleep(40);
        }
        awaitServed(service, b.version());
        Thread.sleep(1500);
        querier.stop.set(true);
        queries.join();

        assertThat(querier.failures).as("failed queries").isEmpty();
        assertThat(querier.versions).containsOnly("model-a", "model-b");
        assertThat(querier.backToA).as("an answer from A after one from B").isZero();
        assertThat(querier.fromB).as("answers from B").isPositive();
        assertThat(querier.firstBDocuments)
            .as("documents B served with at its first answer")
            .isGreaterThanOrEqualTo(BEFORE - 200);
        System.out.printf(
            "solr model refresh: %d answers (%d from B), 0 failed%n",
            querier.answers, querier.fromB);
      }
    }
    try (IndexBackend backend =
        new SolrIndexBackend(SolrIndexSettings.forQueries(SOLR.cloud().zkHost(), ALIAS))) {
      assertThat(backend.served()).contains(new IndexBackend.Served("model-b", 1));
      Map<String, SolrDocument> byId = awaitIds(ALIAS + "_model-b", latest.size());
      assertThat(byId.keySet()).isEqualTo(latest.keySet());
      assertThat(byId.values())
          .allSatisfy(
              d -> assertThat(d.getFirstValue(IndexFields.MODEL_VERSION)).isEqualTo("model-b"));

      // a rollback re-embeds into A's kept collection, which misses what came since and still
      // holds what was deleted since: it must end with exactly the live set again
      registry.rollback();
      long deadline = System.currentTimeMillis() + 180_000;
      while (!backend.servedVersion().orElseThrow().equals("model-a")) {
        assertThat(System.currentTimeMillis()).as("rolled back in time").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(backend.served()).contains(new IndexBackend.Served("model-a", 2));
      Map<String, SolrDocument> back = awaitIds(ALIAS + "_model-a", latest.size());
      assertThat(back.keySet()).isEqualTo(latest.keySet());
      assertThat(back.values())
          .allSatisfy(
              d -> assertThat(d.getFirstValue(IndexFields.MODEL_VERSION)).isEqualTo("model-a"));
    } finally {
      IngestFixtures.cancel(job);
    }
  }

  @Test
  void aRestartResumesTheBackfillAndOldCollectionsAreDeleted(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    String alias = "resume";
    KafkaTopics.ensure(bootstrap, Map.of(alias, 2, alias + ".dlq", 1), Duration.ofSeconds(30));
    ModelRegistry registry = IngestFixtures.registry(work, "model-a", "model-b", "model-c");
    LabelledImages images = IngestFixtures.testImages(RESUME_IMAGES);
    Configuration conf = IngestFixtures.registryConf(bootstrap, registry, work, alias, 2, false);
    conf.set(IngestOptions.BACKFILL_BATCH_SIZE, 2); // slow: kill it midway
    conf.set(IngestOptions.INDEX_BACKEND, IndexBackendKind.SOLR);
    conf.set(IngestOptions.SOLR_CONNECT, SOLR.cloud().zkHost());
    conf.set(IngestOptions.SOLR_ALIAS, alias);
    Map<String, byte[]> latest = new HashMap<>();
    try (ImageProducer producer = new ImageProducer(bootstrap, alias)) {
      IngestFixtures.send(producer, images, latest, 0, RESUME_IMAGES);
    }
    JobClient first = IngestFixtures.start(conf, null);
    awaitCount(alias + "_model-a", RESUME_IMAGES);
    registry.makeCurrent("model-b", "promote", Map.of());
    String[] atKill = awaitCopy(alias, "copy.model-b.0", f -> Long.parseLong(f[2]) >= 40);
    IngestFixtures.cancel(first);
    assertThat(atKill[3]).as("killed mid-backfill").isEqualTo("false");
    long copiedAtKill = Long.parseLong(awaitCopy(alias, "copy.model-b.0", f -> true)[2]);

    conf.set(IngestOptions.BACKFILL_BATCH_SIZE, 64); // the cursor resumes whatever the page size
    JobClient second = IngestFixtures.start(conf, null);
    try {
      // a copy that started over would record fewer copied images than before the restart
      List<Long> seen = new java.util.ArrayList<>();
      awaitCopy(
          alias,
          "copy.model-b.0",
          f -> {
            seen.add(Long.parseLong(f[2]));
            return Boolean.parseBoolean(f[3]);
          });
      assertThat(seen)
          .allSatisfy(copied -> assertThat(copied).isGreaterThanOrEqualTo(copiedAtKill));
      try (IndexBackend backend =
          new SolrIndexBackend(SolrIndexSettings.forQueries(SOLR.cloud().zkHost(), alias))) {
        awaitServedVersion(backend, "model-b");
        assertThat(awaitIds(alias + "_model-b", latest.size()).keySet()).isEqualTo(latest.keySet());

        // a second promotion: with index.retain-versions 1, A's collection goes once C is served
        registry.makeCurrent("model-c", "promote", Map.of());
        awaitServedVersion(backend, "model-c");
        assertThat(awaitIds(alias + "_model-c", latest.size()).keySet()).isEqualTo(latest.keySet());
        long deadline = System.currentTimeMillis() + 30_000;
        while (backend.shardCount("model-a") > 0 && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);
        }
        assertThat(backend.shardCount("model-a")).as("A's collection deleted").isZero();
        assertThat(backend.shardCount("model-b")).as("B's collection kept").isPositive();
      }
    } finally {
      IngestFixtures.cancel(second);
    }
  }

  /** Waits until the alias property {@code key} (a writer's copy state) satisfies {@code test}. */
  private static String[] awaitCopy(
      String alias, String key, java.util.function.Predicate<String[]> test) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      String value =
          COLLECTIONS.client().getClusterStateProvider().getAliasProperties(alias).get(key);
      if (value != null) {
        String[] fields = value.split(" ", 5); // from generation copied done cursor
        if (test.test(fields)) {
          return fields;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(key + " never reached the expected state");
  }

  private static void awaitServedVersion(IndexBackend backend, String version) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (!backend.servedVersion().orElse("").equals(version)) {
      assertThat(System.currentTimeMillis()).as("%s served in time", version).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String get(HttpClient http, QueryServer server, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }

  private static void awaitServed(QueryService service, String version) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (!service.modelVersion().equals(version)) {
      assertThat(System.currentTimeMillis()).as("served %s in time", version).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Waits until {@code collection} holds exactly {@code n} documents. */
  private static void awaitCount(String collection, long n) throws Exception {
    COLLECTIONS.awaitCount(collection, now -> now == n, 120_000);
  }

  private static Map<String, SolrDocument> awaitIds(String collection, int n) throws Exception {
    awaitCount(collection, n);
    return COLLECTIONS.fetchAll(collection);
  }
}
