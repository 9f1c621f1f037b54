package io.pixelstream.jobs.ingest;

import static org.apache.flink.util.Preconditions.checkArgument;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.io.ThreadNiceness;
import io.pixelstream.core.model.InvalidArtifactException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.runtime.VersionFollower;
import io.pixelstream.core.search.LuceneIndexBackend;
import io.pixelstream.solr.SolrIndexBackend;
import io.pixelstream.solr.SolrIndexSettings;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The validated settings of one job run, read once from {@link IngestOptions} and shipped with the
 * operators (hence serialisable).
 */
public record IngestSettings(
    String bootstrapServers,
    String topic,
    String dlqTopic,
    int dlqMaxRecordBytes,
    String groupId,
    String kafkaProperties,
    boolean bounded,
    String modelDir,
    String modelRegistry,
    long modelPollMs,
    int backfillBatchSize,
    int retainVersions,
    String indexRoot,
    int parallelism,
    int batchSize,
    long batchTimeoutMs,
    ImageEncoder.DeviceChoice device,
    long checkpointIntervalMs,
    long publishIntervalMs,
    String checkpointDir,
    int maxImageBytes,
    int maxImageSide,
    int hnswMaxConn,
    int hnswBeamWidth,
    HnswOptions.VectorFormat vectorFormat,
    double ramBufferMb,
    int mergeNice,
    IndexBackendKind backendKind,
    SolrIndexSettings solr,
    boolean watchEnabled,
    String watchTopic,
    String matchTopic,
    Double duplicateThreshold,
    String freshTopic,
    long freshMaxLagMs)
    implements Serializable {

  public IngestSettings {
    checkArgument(
        (modelDir == null) != (modelRegistry == null),
        "set exactly one of model.dir (a fixed model) and model.registry (follow promotions)");
    checkArgument(modelPollMs >= 1, "model.poll-interval must be >= 1 ms, got %s", modelPollMs);
    checkArgument(
        backfillBatchSize >= 1, "backfill.batch-size must be >= 1, got %s", backfillBatchSize);
    checkArgument(
        retainVersions >= 1,
        "index.retain-versions must be >= 1 (the version just switched from may still be"
            + " serving), got %s",
        retainVersions);
    checkArgument(parallelism >= 1, "job.parallelism must be >= 1, got %s", parallelism);
    checkArgument(batchSize >= 1, "embed.batch-size must be >= 1, got %s", batchSize);
    checkArgument(
        batchTimeoutMs >= 1, "embed.batch-timeout must be >= 1 ms, got %s", batchTimeoutMs);
    checkArgument(
        checkpointIntervalMs >= 1,
        "job.checkpoint-interval must be >= 1 ms: checkpoints are what commit the index");
    checkArgument(
        publishIntervalMs >= 0,
        "index.publish-interval must be >= 0 ms (0: publish at checkpoints only), got %s",
        publishIntervalMs);
    checkArgument(maxImageBytes >= 1, "image.max-bytes must be >= 1, got %s", maxImageBytes);
    checkArgument(maxImageSide >= 8, "image.max-side must be >= 8, got %s", maxImageSide);
    checkArgument(
        dlqMaxRecordBytes >= DeadLetter.MIN_RECORD_BYTES,
        "kafka.dlq-max-record-bytes must be >= %s, got %s",
        DeadLetter.MIN_RECORD_BYTES,
        dlqMaxRecordBytes);
    checkArgument(!topic.equals(dlqTopic), "kafka.dlq-topic must differ from kafka.topic");
    checkArgument(
        !watchEnabled
            || new HashSet<>(List.of(topic, dlqTopic, watchTopic, matchTopic)).size() == 4,
        "kafka.topic, kafka.dlq-topic, watch.topic and watch.match-topic must differ");
    checkArgument(
        freshTopic == null
            || !List.of(topic, dlqTopic, watchTopic, matchTopic).contains(freshTopic),
        "kafka.fresh-topic must differ from kafka.topic, kafka.dlq-topic and the watch topics");
    checkArgument(freshMaxLagMs >= 1, "kafka.fresh-max-lag must be >= 1 ms, got %s", freshMaxLagMs);
    checkArgument(
        freshTopic == null || backendKind == IndexBackendKind.EMBEDDED,
        "kafka.fresh-topic needs index.backend embedded: the query API drops a fresh image once"
            + " its shard's commit records the image's source offset");
    checkArgument(
        duplicateThreshold == null || watchEnabled,
        "ingest.duplicate-threshold needs watch.enabled: its match events go to"
            + " watch.match-topic");
    checkArgument(
        mergeNice >= 0 && mergeNice <= ThreadNiceness.MAX_NICE,
        "index.merge-nice must be in 0..%s, got %s",
        ThreadNiceness.MAX_NICE,
        mergeNice);
    new HnswOptions(hnswMaxConn, hnswBeamWidth, vectorFormat); // validates
    checkArgument(
        (backendKind == IndexBackendKind.SOLR) == (solr != null),
        "index.solr settings go with index.backend solr");
  }

  /** Reads and checks the settings. */
  public static IngestSettings from(ReadableConfig c) {
    Duration timeout = c.get(IngestOptions.BATCH_TIMEOUT);
    String device = c.get(IngestOptions.DEVICE).toUpperCase(Locale.ROOT);
    ImageEncoder.DeviceChoice choice;
    try {
      choice = ImageEncoder.DeviceChoice.valueOf(device);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("embed.device must be auto, cpu or gpu, got " + device);
    }
    return new IngestSettings(
        c.get(IngestOptions.BOOTSTRAP_SERVERS),
        c.get(IngestOptions.TOPIC),
        c.get(IngestOptions.DLQ_TOPIC),
        c.get(IngestOptions.DLQ_MAX_RECORD_BYTES),
        c.get(IngestOptions.GROUP_ID),
        c.getOptional(IngestOptions.KAFKA_PROPERTIES).orElse(null),
        c.get(IngestOptions.BOUNDED),
        c.getOptional(IngestOptions.MODEL_DIR).orElse(null),
        c.getOptional(IngestOptions.MODEL_REGISTRY).orElse(null),
        c.get(IngestOptions.MODEL_POLL_INTERVAL).toMillis(),
        c.get(IngestOptions.BACKFILL_BATCH_SIZE),
        c.get(IngestOptions.RETAIN_VERSIONS),
        c.get(IngestOptions.INDEX_ROOT),
        c.get(IngestOptions.PARALLELISM),
        c.get(IngestOptions.BATCH_SIZE),
        timeout.toMillis(),
        choice,
        c.get(IngestOptions.CHECKPOINT_INTERVAL).toMillis(),
        c.get(IngestOptions.PUBLISH_INTERVAL).toMillis(),
        c.getOptional(IngestOptions.CHECKPOINT_DIR).orElse(null),
        c.get(IngestOptions.MAX_IMAGE_BYTES),
        c.get(IngestOptions.MAX_IMAGE_SIDE),
        c.get(IngestOptions.HNSW_MAX_CONN),
        c.get(IngestOptions.HNSW_BEAM_WIDTH),
        c.get(IngestOptions.VECTOR_FORMAT),
        c.get(IngestOptions.RAM_BUFFER_MB),
        c.get(IngestOptions.MERGE_NICE),
        c.get(IngestOptions.INDEX_BACKEND),
        solrSettings(c),
        c.get(IngestOptions.WATCH_ENABLED),
        c.get(IngestOptions.WATCH_TOPIC),
        c.get(IngestOptions.MATCH_TOPIC),
        c.getOptional(IngestOptions.DUPLICATE_THRESHOLD).orElse(null),
        c.getOptional(IngestOptions.FRESH_TOPIC).orElse(null),
        c.get(IngestOptions.FRESH_MAX_LAG).toMillis());
  }

  /** The SolrCloud settings with {@code index.backend solr}, else null. */
  private static SolrIndexSettings solrSettings(ReadableConfig c) {
    if (c.get(IngestOptions.INDEX_BACKEND) != IndexBackendKind.SOLR) {
      return null;
    }
    return new SolrIndexSettings(
        c.getOptional(IngestOptions.SOLR_CONNECT).orElse(null),
        c.get(IngestOptions.SOLR_ALIAS),
        c.get(IngestOptions.SOLR_SHARDS),
        c.get(IngestOptions.SOLR_REPLICATION_FACTOR),
        c.get(IngestOptions.SOLR_REPLICAS),
        new HnswOptions(c.get(IngestOptions.HNSW_MAX_CONN), c.get(IngestOptions.HNSW_BEAM_WIDTH)),
        c.get(IngestOptions.SOLR_COMMIT_WITHIN).toMillis());
  }

  /**
   * The Kafka client settings of {@code kafka.properties}, read now (where the job is built: they
   * travel inside the source and sink); none without it.
   */
  public KafkaClientSettings kafkaClient() {
    return KafkaClientSettings.loadOrNone(kafkaProperties);
  }

  /** True when the job follows a registry's current version rather than one model folder. */
  public boolean followsRegistry() {
    return modelRegistry != null;
  }

  /**
   * The model to start with: {@code model.dir}'s, or the registry's current version.
   *
   * @throws InvalidArtifactException when the artifact is unreadable
   * @throws IllegalStateException when the registry has no current version
   */
  public ModelArtifact startModel() throws IOException {
    if (!followsRegistry()) {
      return ModelArtifacts.read(Path.of(modelDir));
    }
    String current =
        registry()
            .current()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "model registry "
                            + modelRegistry
                            + " has no current version; promote one first (trainer promote)"));
    return registry().read(current);
  }

  /** The registry followed ({@code model.registry}); null with a fixed model. */
  public ModelRegistry registry() {
    return followsRegistry() ? new ModelRegistry(Path.of(modelRegistry)) : null;
  }

  /** The runtime every stage runs {@code artifact} with: this job's image limits and device. */
  public ModelRuntime runtime(ModelArtifact artifact) {
    return ModelRuntime.of(artifact, imageLimits(), device);
  }

  /**
   * A follower of the registry's current version for {@code stage}, starting at {@code current};
   * null with a fixed model.
   */
  public VersionFollower follower(String stage, String current) {
    ModelRegistry registry = registry();
    return registry == null ? null : new VersionFollower(stage, registry::current, current);
  }

  public ImageLimits imageLimits() {
    return new ImageLimits(
        maxImageBytes,
        ImageLimits.DEFAULT.minSide(),
        maxImageSide,
        (long) maxImageSide * maxImageSide);
  }

  /**
   * The index backend the sink writes with: Lucene shards under {@code index.root}, or the
   * SolrCloud at {@code index.solr}. The caller closes it.
   */
  public IndexBackend indexBackend() {
    return switch (backendKind) {
      case EMBEDDED -> new LuceneIndexBackend(Path.of(indexRoot), hnsw(), ramBufferMb, mergeNice);
      case SOLR -> new SolrIndexBackend(solr);
    };
  }

  public HnswOptions hnsw() {
    return new HnswOptions(hnswMaxConn, hnswBeamWidth, vectorFormat);
  }
}
