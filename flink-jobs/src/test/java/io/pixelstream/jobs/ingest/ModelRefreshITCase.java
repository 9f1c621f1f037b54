package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.embed.TestEncoders;
import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.ShardBackfill;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.lucene.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model promotion in the running system, on a real broker, the job on a MiniCluster and the query
 * API over HTTP: images are indexed under model A; model B is promoted while images, new versions
 * of old images and deletes keep arriving and a client keeps querying. Every answer must succeed
 * and name one version, B's first answers must already find every old image (the switch waited for
 * the backfill), and B's index must end with exactly the live set of ids, embedded by B. In the
 * first test B is an imported TorchScript encoder (ResNet-shaped, 3x64x64: every grey 28x28 image
 * is resized and turned RGB for it), so a switch between encoder kinds is what is tested.
 */
class ModelRefreshITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BEFORE = 1200;
  private static final int AFTER = 600;

  @Test
  void promotionBackfillsThenSwitchesWithoutAFailedQuery(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
    ModelRegistry registry = IngestFixtures.registry(work, "model-a");
    ModelArtifact a = registry.read("model-a");
    ModelArtifact b =
        registry.register(
            TestEncoders.artifact(
                "resnet-64", EncoderFormat.TORCHSCRIPT, 64, "model-b", IngestFixtures.K, 43));
    assertThat(b.manifest().input()).isNotEqualTo(a.manifest().input());
    LabelledImages images = IngestFixtures.testImages(BEFORE + AFTER + 50);
    Path indexRoot = work.resolve("index");

    JobClient job = IngestFixtures.start(jobConf(bootstrap, registry, work, "images", 16), null);

    Map<String, byte[]> latest = new HashMap<>(); // id -> the image bytes last sent
    Set<String> deleted = new TreeSet<>();
    QueryOptions options =
        new QueryOptions(
            0,
            null,
            registry.root(),
            indexRoot,
            64 * 1024,
            100,
            100,
            4,
            1,
            100,
            ApiAccess.LOCAL,
            QueryOptions.Embedding.DEFAULT);
    try (ImageProducer producer = new ImageProducer(bootstrap, "images");
        QueryService service = QueryService.open(options);
        QueryServer server = QueryServer.start(options, service)) {
      IngestFixtures.send(producer, images, latest, 0, BEFORE);
      awaitDocuments(service, a.version(), BEFORE, Duration.ofSeconds(120));
      assertThat(service.modelVersion()).isEqualTo(a.version());

      VersionQuerier querier = new VersionQuerier(server.port(), images, BEFORE - 200, BEFORE);
      Thread queries = new Thread(querier, "it-queries");
      queries.start();
      Thread.sleep(300);

      registry.makeCurrent(b.version(), "promote", Map.of());
      long promotedAt = System.currentTimeMillis();
      // keep the stream going through the move: new ids, new images for old ids, deletes
      Random random = new Random(5);
      for (int i = BEFORE; i < BEFORE + AFTER; i += 20) {
        IngestFixtures.send(producer, images, latest, i, i + 20);
        String update = IngestFixtures.id(random.nextInt(BEFORE));
        byte[] other = IngestFixtures.png(images, BEFORE + AFTER + random.nextInt(50));
        producer.send(update, other, 0);
        latest.put(update, other);
        String gone = IngestFixtures.id(BEFORE - 1 - random.nextInt(200)); // never queried
        producer.tombstone(gone);
        deleted.add(gone);
        latest.remove(gone);
        producer.flush();
        Thread.sleep(40);
      }

      awaitServed(service, b.version(), Duration.ofSeconds(180));
      Thread.sleep(1500); // answers from B for a while
      querier.stop.set(true);
      queries.join();

      assertThat(querier.failures).as("failed queries").isEmpty();
      assertThat(querier.answers).isGreaterThan(50);
      assertThat(querier.versions).containsOnly(a.version(), b.version());
      assertThat(querier.backToA).as("an answer from A after one from B").isZero();
      assertThat(querier.fromB).as("answers from B").isPositive();
      assertThat(querier.firstBDocuments)
          .as("documents B served with at its first answer")
          .isGreaterThanOrEqualTo(BEFORE - 200);

      ServingAlias.State alias = new ServingAlias(indexRoot).read().orElseThrow();
      assertThat(alias.version()).isEqualTo(b.version());
      assertThat(alias.previous()).containsExactly(a.version());
      assertThat(alias.generation()).isEqualTo(1);
      // two writers that finish together may both write the alias, the second a few ms later
      assertThat(alias.switchedAt()).isBetween(promotedAt, System.currentTimeMillis());
      Map<String, Object> stats = service.stats();
      assertThat(stats).containsEntry("modelVersion", b.version());
      assertThat(stats).containsEntry("modelSwitches", 1L);
      System.out.printf(
          "model refresh: %d images, promotion to switch %d ms, %d answers (%d from B), 0"
              + " failed%n",
          latest.size(), alias.switchedAt() - promotedAt, querier.answers, querier.fromB);

      // B ends with exactly the live set, each image embedded by B from the bytes last sent
      awaitCommittedIds(indexRoot, b.version(), latest.keySet(), Duration.ofSeconds(60));
    } finally {
      IngestFixtures.cancel(job);
    }
    try (CommittedIndex index = new CommittedIndex(indexRoot, b.version());
        ImageEncoder encoder = ImageEncoder.open(b, ImageEncoder.DeviceChoice.CPU)) {
      Map<String, List<Document>> byId = index.documentsById();
      assertThat(byId.keySet()).isEqualTo(latest.keySet());
      assertThat(byId.keySet()).doesNotContainAnyElementsOf(deleted);
      ImagePreprocessor prep =
          new ImagePreprocessor(b.manifest().input(), b.manifest().normalization());
      ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
      for (Map.Entry<String, List<Document>> e : byId.entrySet()) {
        assertThat(e.getValue()).as("documents for %s", e.getKey()).hasSize(1);
        Document doc = e.getValue().get(0);
        assertThat(doc.get(IndexFields.MODEL_VERSION)).isEqualTo(b.version());
        byte[] sent = latest.get(e.getKey());
        assertThat(doc.getBinaryValue(IndexFields.IMAGE).bytes).isEqualTo(sent);
      }
      List<String> sample = new ArrayList<>(new TreeSet<>(latest.keySet())).subList(0, 40);
      for (String id : sample) {
        float[] expected =
            encoder.embed(new float[][] {prep.preprocess(decoder.decode(latest.get(id)))})[0];
        assertThat(index.vector(id))
            .as("B's vector of %s", id)
            .containsExactly(expected, within(1e-4f));
      }
    }
  }

  @Test
  void aRestartResumesTheBackfillAndOldVersionsAreCleaned(@TempDir Path work) throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("resume", 2, "resume.dlq", 1), Duration.ofSeconds(30));
    ModelRegistry registry = new ModelRegistry(work.resolve("registry"));
    ModelArtifact a = IngestFixtures.register(registry, work, "model-a", 42);
    ModelArtifact b = IngestFixtures.register(registry, work, "model-b", 43);
    ModelArtifact c = IngestFixtures.register(registry, work, "model-c", 44);
    registry.makeCurrent(a.version(), "promote", Map.of());
    LabelledImages images = IngestFixtures.testImages(BEFORE);
    Path indexRoot = work.resolve("index");
    Configuration conf = jobConf(bootstrap, registry, work, "resume", 2); // slow: kill it midway
    Map<String, byte[]> latest = new HashMap<>();
    try (ImageProducer producer = new ImageProducer(bootstrap, "resume")) {
      IngestFixtures.send(producer, images, latest, 0, BEFORE);
    }

    JobClient first = IngestFixtures.start(conf, null);
    awaitCommittedIds(indexRoot, a.version(), latest.keySet(), Duration.ofSeconds(120));
    registry.makeCurrent(b.version(), "promote", Map.of());
    Path shard0 = indexRoot.resolve(b.version()).resolve("shard-0");
    Map<String, String> atKill = awaitCommit(shard0, d -> copied(d) >= 40, Duration.ofSeconds(60));
    IngestFixtures.cancel(first);
    assertThat(atKill.get(ShardBackfill.DONE)).as("killed mid-backfill").isEqualTo("false");
    Map<String, String> beforeRestart = ShardWriter.lastCommitData(shard0);

    JobClient second = IngestFixtures.start(conf, null);
    try {
      // every commit after the restart continues from the last one: a backfill that started over
      // would clear the target and commit fewer copied images or an earlier cursor
      List<Map<String, String>> seen = new ArrayList<>();
      Map<String, String> done =
          awaitCommit(
              shard0,
              d -> {
                seen.add(d);
                return Boolean.parseBoolean(d.get(ShardBackfill.DONE));
              },
              Duration.ofSeconds(120));
      for (Map<String, String> d : seen) {
        assertThat(copied(d)).isGreaterThanOrEqualTo(copied(beforeRestart));
        assertThat(d.get(ShardBackfill.CURSOR))
            .isGreaterThanOrEqualTo(beforeRestart.get(ShardBackfill.CURSOR));
      }
      assertThat(done.get(ShardBackfill.EPOCH)).isEqualTo(beforeRestart.get(ShardBackfill.EPOCH));
      awaitAlias(indexRoot, b.version(), Duration.ofSeconds(60));
      awaitCommittedIds(indexRoot, b.version(), latest.keySet(), Duration.ofSeconds(60));

      // a second promotion: with index.retain-versions 1, A's shards go once C is served
      registry.makeCurrent(c.version(), "promote", Map.of());
      awaitAlias(indexRoot, c.version(), Duration.ofSeconds(120));
      awaitCommittedIds(indexRoot, c.version(), latest.keySet(), Duration.ofSeconds(60));
      assertThat(new ServingAlias(indexRoot).read().orElseThrow().previous())
          .containsExactly(b.version(), a.version());
      // shard 0's writer cleans up, at the latest one poll after another writer moved the alias
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (Files.exists(indexRoot.resolve(a.version())) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(indexRoot.resolve(a.version())).doesNotExist();
      assertThat(indexRoot.resolve(b.version()).resolve("shard-1")).isDirectory();
    } finally {
      IngestFixtures.cancel(second);
    }
  }

  /**
   * The registry's pointer names a version whose weights were corrupted after it was registered
   * (the registry itself refuses to promote a broken artifact, so the pointer is written by hand,
   * as a bad copy or disk error would leave it). The job refuses that version, keeps indexing with
   * the model it has, and moves to the next good promotion as usual.
   */
  @Test
  void aBrokenArtifactMadeCurrentIsRefusedAndTheJobKeepsIndexing(@TempDir Path work)
      throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(bootstrap, Map.of("broken", 2, "broken.dlq", 1), Duration.ofSeconds(30));
    ModelRegistry registry = new ModelRegistry(work.resolve("registry"));
    ModelArtifact a = IngestFixtures.register(registry, work, "model-a", 42);
    IngestFixtures.register(registry, work, "model-broken", 43);
    ModelArtifact c = IngestFixtures.register(registry, work, "model-c", 44);
    registry.makeCurrent(a.version(), "promote", Map.of());
    Path weights = registry.versionDir("model-broken").resolve("encoder.npz");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(weights, bytes);
    LabelledImages images = IngestFixtures.testImages(600);
    Path indexRoot = work.resolve("index");
    Map<String, byte[]> latest = new HashMap<>();

    JobClient job = IngestFixtures.start(jobConf(bootstrap, registry, work, "broken", 64), null);
    try (ImageProducer producer = new ImageProducer(bootstrap, "broken")) {
      IngestFixtures.send(producer, images, latest, 0, 300);
      awaitCommittedIds(indexRoot, a.version(), latest.keySet(), Duration.ofSeconds(120));

      Files.writeString(registry.root().resolve("current"), "model-broken\n");
      Thread.sleep(1000); // five registry polls
      IngestFixtures.send(producer, images, latest, 300, 600);
      awaitCommittedIds(indexRoot, a.version(), latest.keySet(), Duration.ofSeconds(60));
      assertThat(new ServingAlias(indexRoot).read().orElseThrow().version()).isEqualTo(a.version());
      assertThat(indexRoot.resolve("model-broken")).doesNotExist();
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      System.out.printf(
          "broken promotion: model-broken refused, %s indexed all %d images meanwhile%n",
          a.version(), latest.size());

      registry.makeCurrent(c.version(), "promote", Map.of());
      awaitAlias(indexRoot, c.version(), Duration.ofSeconds(120));
      awaitCommittedIds(indexRoot, c.version(), latest.keySet(), Duration.ofSeconds(60));
    } finally {
      IngestFixtures.cancel(job);
    }
  }

  private static long copied(Map<String, String> commitData) {
    return Long.parseLong(commitData.getOrDefault(ShardBackfill.COPIED, "0"));
  }

  /**
   * Polls a shard's last commit until {@code until} accepts one; each new commit is offered once.
   */
  private static Map<String, String> awaitCommit(
      Path shard, Predicate<Map<String, String>> until, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> last = null;
    while (System.nanoTime() < deadline) {
      Map<String, String> d =
          Files.isDirectory(shard) ? ShardWriter.lastCommitData(shard) : Map.of();
      if (!d.isEmpty() && !d.equals(last)) {
        last = d;
        if (until.test(d)) {
          return d;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no matching commit in " + shard + "; last: " + last);
  }

  private static void awaitAlias(Path indexRoot, String version, Duration timeout)
      throws Exception {
    ServingAlias alias = new ServingAlias(indexRoot);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (alias.read().map(ServingAlias.State::version).orElse("").equals(version)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the alias never moved to " + version);
  }

  /** The job on {@code topic}, following {@code registry}, parallelism 2, unbounded. */
  private static Configuration jobConf(
      String bootstrap, ModelRegistry registry, Path work, String topic, int backfillBatch) {
    Configuration conf = IngestFixtures.registryConf(bootstrap, registry, work, topic, 2, false);
    conf.set(IngestOptions.BACKFILL_BATCH_SIZE, backfillBatch);
    return conf;
  }

  private static void awaitDocuments(
      QueryService service, String version, long atLeast, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (service.modelVersion().equals(version) && service.documents() >= atLeast) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(version + " never served " + atLeast + " documents");
  }

  private static void awaitServed(QueryService service, String version, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (service.modelVersion().equals(version)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the query API never switched to " + version);
  }

  private static void awaitCommittedIds(
      Path indexRoot, String version, Set<String> expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> ids = Set.of();
    while (System.nanoTime() < deadline) {
      try (CommittedIndex index = new CommittedIndex(indexRoot, version)) {
        ids = index.documentsById().keySet();
      }
      if (ids.equals(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "committed ids of " + version + " never matched: " + ids.size() + " vs " + expected.size());
  }

  /**
   * Queries back to back: similar-by-id for old images never deleted, search by an uploaded image,
   * and stats; records every answer's model version.
   */
}
