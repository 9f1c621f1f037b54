package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.search.LuceneIndexBackend;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.deploy.solr.SolrCloudExtension;
import io.pixelstream.solr.SolrIndexBackend;
import io.pixelstream.solr.SolrIndexSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The ingestion job on a real two-node SolrCloud ({@code index.backend solr}): every good image
 * once, deletes applied, bad records dead-lettered; the same documents ranked the same as by the
 * embedded shards; a job killed and restored from its checkpoint, and a Solr node killed
 * mid-stream, lose and duplicate nothing. Each test writes its own alias and topics.
 */
class SolrIngestITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  @RegisterExtension static final SolrCloudExtension SOLR = new SolrCloudExtension();

  private static final int IMAGES = 2000;

  @RegisterExtension static final SolrCollections COLLECTIONS = new SolrCollections(SOLR);

  /** The job's settings on topic {@code <name>} and alias {@code <name>}. */
  private static Configuration conf(Path work, String name, int replication, boolean bounded) {
    Configuration c =
        IngestFixtures.settings(KAFKA.bootstrapServers(), work.resolve("model"), work, 2, bounded);
    c.set(IngestOptions.TOPIC, name);
    c.set(IngestOptions.DLQ_TOPIC, name + ".dlq");
    c.set(IngestOptions.INDEX_BACKEND, IndexBackendKind.SOLR);
    c.set(IngestOptions.SOLR_CONNECT, SOLR.cloud().zkHost());
    c.set(IngestOptions.SOLR_ALIAS, name);
    c.set(IngestOptions.SOLR_SHARDS, 2);
    c.set(IngestOptions.SOLR_REPLICATION_FACTOR, replication);
    return c;
  }

  private static void topics(String name) throws Exception {
    KafkaTopics.ensure(
        KAFKA.bootstrapServers(), Map.of(name, 2, name + ".dlq", 1), Duration.ofSeconds(30));
  }

  @Test
  void indexesEveryGoodImageOnceAndRanksAsTheEmbeddedShards(@TempDir Path work) throws Exception {
    String name = "ingest";
    topics(name);
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(IMAGES);
    Map<String, String> expectedErrors = new HashMap<>();
    List<String> tombstoned = new ArrayList<>();
    try (ImageProducer producer = new ImageProducer(KAFKA.bootstrapServers(), name)) {
      IngestFixtures.produce(producer, images, 0, IMAGES);
      expectedErrors.putAll(BadRecords.produce(producer, images));
      for (int i = 0; i < 10; i++) {
        String id = IngestFixtures.id(i * 200 + 7);
        tombstoned.add(id);
        producer.tombstone(id);
      }
      producer.flush();
    }
    assertThat(expectedErrors).hasSize(20);

    Configuration conf = conf(work, name, 1, true);
    conf.set(IngestOptions.MAX_IMAGE_BYTES, 64 * 1024);
    IngestEnvironment.executeAsync(conf, "solr-ingest-it").getJobExecutionResult().get();

    String collection = name + "_" + model.version();
    Map<String, SolrDocument> byId = awaitAll(collection, IMAGES - tombstoned.size());
    for (int i = 0; i < IMAGES; i++) {
      String id = IngestFixtures.id(i);
      if (tombstoned.contains(id)) {
        assertThat(byId).as("deleted %s", id).doesNotContainKey(id);
        continue;
      }
      SolrDocument doc = byId.get(id);
      assertThat((Object) doc).as("document %s", id).isNotNull();
      assertThat(((Number) doc.getFirstValue(IndexFields.LABEL)).intValue())
          .isEqualTo(images.labels()[i]);
      assertThat(((Number) doc.getFirstValue(IndexFields.CLUSTER)).intValue())
          .isBetween(0, IngestFixtures.K - 1);
      assertThat(doc.getFirstValue(IndexFields.MODEL_VERSION)).isEqualTo(model.version());
    }
    BadRecords.assertDeadLettered(KAFKA.bootstrapServers(), name + ".dlq", expectedErrors);

    try (IndexBackend solr =
            new SolrIndexBackend(SolrIndexSettings.forQueries(SOLR.cloud().zkHost(), name));
        IndexBackend embedded = new LuceneIndexBackend(work.resolve("embedded"))) {
      try (PinnedVersion solrVersion = solr.open(model.version())) {
        assertThat(solrVersion.image(IngestFixtures.id(1))).hasValue(IngestFixtures.png(images, 1));
        // what the trainer retrains on (--data solr:...): every image ingested, with its label
        DatasetSpec.Split training =
            DatasetSpec.parse("solr:" + SOLR.cloud().zkHost() + "#" + model.version())
                .load(new InputShape(1, 28, 28), IMAGES, IMAGES, solr);
        int[] histogram = new int[10];
        for (int i = 0; i < IMAGES; i++) {
          if (!tombstoned.contains(IngestFixtures.id(i))) {
            histogram[images.labels()[i]]++;
          }
        }
        int[] read = new int[10];
        for (int label : training.train().labels()) {
          read[label]++;
        }
        for (int label : training.test().labels()) {
          read[label]++;
        }
        assertThat(read).containsExactly(histogram);
        try (ShardSink sink =
            embedded.openShard(
                model.version(),
                0,
                1,
                model.manifest().similarity(),
                model.manifest().embeddingDim())) {
          for (SolrDocument doc : byId.values()) {
            sink.upsert(
                new IndexedImage(
                    (String) doc.getFirstValue(IndexFields.ID),
                    SolrCollections.vector(doc),
                    ((Number) doc.getFirstValue(IndexFields.CLUSTER)).intValue(),
                    ((Number) doc.getFirstValue(IndexFields.LABEL)).intValue(),
                    null,
                    model.version(),
                    0,
                    0,
                    new byte[1]));
          }
          sink.commit(Map.of());
        }
        try (PinnedVersion embeddedVersion = embedded.open(model.version())) {
          assertSameRanking(new ArrayList<>(byId.values()), solrVersion, embeddedVersion);
        }
      }
    }
  }

  /**
   * 100 queries (indexed vectors, seed 7): exact top-10 identical in both backends, Solr's HNSW
   * top-10 recall against its exact top-10 at least 0.98.
   */
  private static void assertSameRanking(
      List<SolrDocument> docs, PinnedVersion solr, PinnedVersion embedded) throws Exception {
    Random random = new Random(7);
    int found = 0;
    for (int q = 0; q < 100; q++) {
      float[] query = SolrCollections.vector(docs.get(random.nextInt(docs.size())));
      SearchRequest exact = new SearchRequest(10, SearchMode.EXACT, null, null, 10);
      List<SearchResult.Hit> a = solr.search(query, exact, null).hits();
      List<SearchResult.Hit> b = embedded.search(query, exact, null).hits();
      assertThat(a).hasSize(10);
      assertThat(a)
          .extracting(SearchResult.Hit::score)
          .containsExactlyElementsOf(b.stream().map(SearchResult.Hit::score).toList());
      for (int i = 0; i < 10; i++) {
        float score = a.get(i).score();
        long tied = a.stream().filter(h -> h.score() == score).count();
        if (tied == 1) {
          assertThat(a.get(i).id()).as("query %d rank %d", q, i).isEqualTo(b.get(i).id());
        }
      }
      List<String> truth = a.stream().map(SearchResult.Hit::id).toList();
      for (SearchResult.Hit h :
          solr.search(query, new SearchRequest(10, SearchMode.HNSW, null, null, 40), null).hits()) {
        if (truth.contains(h.id())) {
          found++;
        }
      }
    }
    double recall = found / 1000.0;
    System.out.printf(
        "solr: exact top-10 identical for 100 queries, hnsw recall@10 %.4f%n", recall);
    assertThat(recall).as("Solr HNSW recall@10 against exact").isGreaterThanOrEqualTo(0.98);
  }

  @Test
  void killedJobRestoresFromCheckpointWithNothingLostOrDuplicated(@TempDir Path work)
      throws Exception {
    String name = "restore";
    topics(name);
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(IMAGES);
    Configuration conf = conf(work, name, 1, false);
    String collection = name + "_" + model.version();
    int first = 1500;
    try (ImageProducer producer = new ImageProducer(KAFKA.bootstrapServers(), name)) {
      Thread trickle = IngestFixtures.trickle(producer, images, first, 100, 200);
      JobClient job = IngestFixtures.start(conf, null);
      int atKill = awaitAtLeast(collection, 500);
      Path checkpoint =
          IngestRecoveryITCase.awaitCheckpoint(work.resolve("checkpoints"), Duration.ofSeconds(30));
      IngestFixtures.cancel(job);
      assertThat(atKill).as("killed mid-stream").isLessThan(first);
      trickle.join();
      IngestFixtures.produce(producer, images, first, IMAGES);
      for (int i = 0; i < 10; i++) {
        producer.tombstone(IngestFixtures.id(i * 100));
      }
      producer.flush();
      Path restoreFrom =
          IngestRecoveryITCase.latestCheckpoint(work.resolve("checkpoints")).orElse(checkpoint);
      JobClient second = IngestFixtures.start(conf, restoreFrom);
      awaitAll(collection, IMAGES - 10);
      Thread.sleep(1500); // a few more checkpoints: a replayed duplicate would show now
      IngestFixtures.cancel(second);
    }
    assertLostAndDuplicated(collection, images, i -> i % 100 == 0 && i < 1000, IMAGES - 10);
  }

  @Test
  void solrNodeKilledMidStreamLosesNothing(@TempDir Path work) throws Exception {
    String name = "nodekill";
    topics(name);
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    LabelledImages images = IngestFixtures.testImages(IMAGES);
    Configuration conf = conf(work, name, 2, false);
    String collection = name + "_" + model.version();
    try (ImageProducer producer = new ImageProducer(KAFKA.bootstrapServers(), name);
        IndexBackend solr =
            new SolrIndexBackend(SolrIndexSettings.forQueries(SOLR.cloud().zkHost(), name))) {
      Thread trickle = IngestFixtures.trickle(producer, images, IMAGES, 100, 200);
      JobClient job = IngestFixtures.start(conf, null);
      awaitAtLeast(collection, 300);
      int victim = leaderNode(collection);
      SOLR.cloud().kill(victim);
      int answered = 0;
      try (PinnedVersion version = solr.open(model.version())) {
        float[] probe =
            SolrCollections.vector(COLLECTIONS.fetchAll(collection).values().iterator().next());
        long until = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < until) {
          try {
            version.search(probe, new SearchRequest(5, SearchMode.HNSW, null, null, 20), null);
            answered++;
          } catch (java.io.IOException e) {
            // a request caught between the kill and Solr noticing it may fail; later ones answer
          }
          Thread.sleep(100);
        }
      }
      assertThat(answered).as("queries answered with a node down").isPositive();
      trickle.join();
      SOLR.cloud().start(victim);
      awaitAll(collection, IMAGES);
      IngestFixtures.cancel(job);
    }
    assertLostAndDuplicated(collection, images, i -> false, IMAGES);
  }

  private static void assertLostAndDuplicated(
      String collection, LabelledImages images, java.util.function.IntPredicate deleted, int total)
      throws Exception {
    Map<String, SolrDocument> byId = COLLECTIONS.fetchAll(collection);
    int lost = 0;
    for (int i = 0; i < IMAGES; i++) {
      String id = IngestFixtures.id(i);
      if (deleted.test(i)) {
        assertThat(byId).as("deleted %s", id).doesNotContainKey(id);
      } else if (!byId.containsKey(id)) {
        lost++;
      } else {
        assertThat(((Number) byId.get(id).getFirstValue(IndexFields.LABEL)).intValue())
            .isEqualTo(images.labels()[i]);
      }
    }
    long numFound = COLLECTIONS.count(collection);
    assertThat(lost).as("lost").isZero();
    assertThat(numFound - byId.size()).as("duplicated").isZero();
    assertThat(numFound).isEqualTo(total);
    System.out.printf(
        "solr %s: indexed %d, lost %d, duplicated %d%n",
        collection, numFound, lost, numFound - byId.size());
  }

  /** The node (its number in the SolrCloud) that leads {@code collection}'s first shard. */
  private static int leaderNode(String collection) throws Exception {
    String leader =
        COLLECTIONS
            .client()
            .getClusterStateProvider()
            .getCollection(collection)
            .getSlices()
            .iterator()
            .next()
            .getLeader()
            .getNodeName(); // 127.0.0.1:<port>_solr
    List<String> urls = SOLR.cloud().nodeUrls();
    for (int i = 0; i < urls.size(); i++) {
      if (urls.get(i).equals("http://" + leader.replace("_solr", "/solr"))) {
        return i;
      }
    }
    throw new AssertionError("leader " + leader + " is none of " + urls);
  }

  /** Waits until {@code collection} shows at least {@code n} documents; returns the count. */
  private static int awaitAtLeast(String collection, int n) throws Exception {
    return (int) COLLECTIONS.awaitCount(collection, now -> now >= n, 120_000);
  }

  /** Waits until {@code collection} shows exactly {@code n} documents; returns them by id. */
  private static Map<String, SolrDocument> awaitAll(String collection, int n) throws Exception {
    awaitAtLeast(collection, n);
    long deadline = System.currentTimeMillis() + 10_000;
    while (COLLECTIONS.count(collection) != n && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    Map<String, SolrDocument> byId = COLLECTIONS.fetchAll(collection);
    assertThat(byId).hasSize(n);
    return byId;
  }
}
