package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.index.CommitOffsets;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.runtime.VersionFollower;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's writer; see {@link LuceneIndexSink}. Writes and deletes go to the shard of the model
 * version new images are embedded with; every {@code index.publish-interval} they are published
 * (visible to searchers, not yet durable) and every {@link #flush} (before each checkpoint barrier)
 * commits them durably with the Kafka position. Both record the position of what they hold, so the
 * shard's newest commit always describes a state the stream passed through; a restore replays from
 * the checkpoint's older position, and upserts and deletes by id land where they were. With a
 * registry it also follows promotions: a {@link ShardMove} backfills the served version's images
 * into the new version's shard between writes, and moves the alias once every shard caught up.
 */
final class ShardSinkWriter implements StatefulSinkWriter<ImageEvent, SourcePosition> {

  private static final Logger LOG = LoggerFactory.getLogger(ShardSinkWriter.class);

  private final IngestSettings settings;
  private final int shardNumber;
  private final int shards;
  private final String restoredFrom;

  /** Highest offset written per {@code topic-partition}, restored from state after a restart. */
  private final Map<String, Long> offsets;

  /** Null with a fixed model ({@code model.dir}). */
  private final ModelRegistry registry;

  private final VersionFollower follower;
  private final IndexBackend backend;
  private final ProcessingTimeService time;

  /** The model new images are written with and its shard. */
  private ModelRuntime runtime;

  private ShardSink shard;

  /** Set while the served version's images are copied into {@link #shard}. */
  private volatile ShardMove move;

  /** The writes searchers cannot see yet. */
  private final PendingVisibility pending;

  private final ShardWriterMetrics metrics;

  /** Publishes in the background; null when {@code index.publish-interval} is 0. */
  private final ShardPublisher publisher;

  /**
   * @param shards the sink's subtasks: every version this writer writes has this many shards
   */
  ShardSinkWriter(
      IngestSettings settings,
      int shardNumber,
      int shards,
      Map<String, Long> restoredOffsets,
      OptionalLong restoredCheckpointId,
      MetricGroup metricGroup,
      ProcessingTimeService time)
      throws IOException {
    this.settings = settings;
    this.backend = settings.indexBackend();
    this.shardNumber = shardNumber;
    this.shards = shards;
    this.time = time;
    this.offsets = new TreeMap<>(restoredOffsets);
    this.restoredFrom =
        restoredCheckpointId.isPresent() ? Long.toString(restoredCheckpointId.getAsLong()) : "";
    this.metrics = new ShardWriterMetrics(metricGroup, () -> shard, () -> move);
    pending = new PendingVisibility(metrics.group);
    publisher =
        settings.publishIntervalMs() > 0
            ? new ShardPublisher(
                "publish shard " + shardNumber,
                metrics.group.counter(IngestMetrics.PUBLISHES),
                IngestMetrics.histogram(metrics.group, IngestMetrics.PUBLISH_MS))
            : null;

    ModelArtifact start = settings.startModel();
    this.shard = openShard(start, start.version());
    this.runtime = settings.runtime(start);
    this.registry = settings.registry();
    this.follower = settings.follower("shard " + shardNumber, start.version());
    schedulePublish();
    if (registry == null) {
      return;
    }
    if (backend.served().isEmpty()) {
      backend.switchTo(start.version()); // a new index serves the first model
    }
    IndexBackend.Served serving = backend.served().orElseThrow();
    if (!serving.version().equals(start.version())) {
      // a restart during a move, or a promotion while the job was down (perhaps rescaled)
      boolean sameCount = backend.shardCount(serving.version()) == shards;
      beginMove(serving, sameCount ? openShard(start, serving.version()) : null);
    }
    schedulePoll();
  }

  /**
   * {@code version}'s shard of this writer, with {@code model}'s similarity (the served version's
   * shard is only deleted from, so its similarity does not matter). Refuses a version whose index
   * has another shard count than this sink's subtasks: ids are routed by that count.
   */
  private ShardSink openShard(ModelArtifact model, String version) throws IOException {
    return backend.openShard(
        version,
        shardNumber,
        shards,
        model.manifest().similarity(),
        model.manifest().embeddingDim());
  }

  @Override
  public void write(ImageEvent e, Context context) throws IOException {
    long start = System.nanoTime();
    try {
      writeTimed(e);
    } finally {
      metrics.indexNanos.inc(System.nanoTime() - start);
    }
  }

  private void writeTimed(ImageEvent e) throws IOException {
    if (follower != null && move == null && e.modelVersion != null) {
      follower.offer(e.modelVersion, this::moveTo); // the embed step saw a promotion first
    }
    ShardMove m = move;
    if (e.deleted) {
      shard.delete(e.id);
      if (m != null) {
        m.deleted(e.id);
      }
      metrics.deleted.inc();
    } else {
      IndexedImage image =
          new IndexedImage(
              e.id,
              e.vector,
              e.cluster,
              e.label,
              e.source,
              e.modelVersion,
              e.ingestTime,
              e.eventTime,
              e.image,
              e.duplicateOf);
      if (!version().equals(e.modelVersion)) {
        image = runtime.reembed(List.of(image)).get(0);
        metrics.stragglers.inc();
      }
      if (image == null) {
        metrics.backfillFailed.inc();
        LOG.error("image {} could not be re-embedded with model {}", e.id, version());
      } else {
        shard.upsert(image);
        if (m != null) {
          m.written(e.id);
        }
        metrics.indexed.inc();
      }
    }
    offsets.merge(CommitOffsets.key(e.topic, e.partition), e.offset, Math::max);
    pending.written(e);
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    ShardMove m = move;
    if (m != null && endOfInput) {
      while (!m.backfillDone()) {
        metrics.backfillFailed.inc(m.step(settings.backfillBatchSize()));
      }
    }
    if (publisher != null) {
      publisher.checkFailure();
    }
    if (m == null && pending.pending() == 0 && !shard.hasUncommittedChanges()) {
      return;
    }
    commit();
    if (m != null && m.doneCommitted()) {
      trySwitch(m);
    }
  }

  /**
   * Publishes what was written since the last publish or commit, unless a publish still runs. Not
   * during a move: the new version is not served yet, and the served shard's deletes wait for the
   * next checkpoint.
   */
  private void publish() throws IOException {
    publisher.checkFailure();
    if (move == null && pending.pending() > 0 && !publisher.busy()) {
      publisher.submit(shard, commitData(System.currentTimeMillis()), pending.take());
    }
  }

  /** What a commit or publish records: the source position and the shard's identity. */
  private Map<String, String> commitData(long now) {
    Map<String, String> data = new HashMap<>();
    data.put(IndexFields.COMMIT_SOURCE_OFFSETS, CommitOffsets.format(offsets));
    data.put(IndexFields.COMMIT_TIME, Long.toString(now));
    data.put(IndexFields.COMMIT_MODEL_VERSION, version());
    data.put(IndexFields.COMMIT_SHARDS, Integer.toString(shards));
    data.put(IndexFields.COMMIT_RESTORED_CHECKPOINT, restoredFrom);
    return data;
  }

  /**
   * Commits the shard durably (during a move also the served version's shard and the backfill),
   * after any publish that runs.
   */
  private void commit() throws IOException {
    long start = System.nanoTime();
    try {
      long now = System.currentTimeMillis();
      Map<String, String> data = commitData(now);
      ShardMove m = move;
      if (m != null) {
        data.putAll(m.commitSource(now));
      }
      shard.commit(data); // waits for a running publish (ShardWriter serialises them)
      if (m != null) {
        m.afterCommit();
      }
      metrics.committed(now);
      pending.visible(System.currentTimeMillis()); // readable once the commit returned
    } finally {
      metrics.commitTook(System.nanoTime() - start);
    }
  }

  private String version() {
    return runtime.version();
  }

  /** Waits for a running publish; for tests. */
  void awaitPublish() throws IOException {
    if (publisher != null) {
      publisher.await();
    }
  }

  private void schedulePublish() {
    if (publisher != null) {
      time.registerTimer(
          time.getCurrentProcessingTime() + settings.publishIntervalMs(),
          at -> {
            publish();
            schedulePublish();
          });
    }
  }

  private void schedulePoll() {
    time.registerTimer(
        time.getCurrentProcessingTime() + settings.modelPollMs(),
        at -> {
          ShardMove m = move;
          if (m == null) {
            follower.poll(this::moveTo);
          } else if (m.doneCommitted()) {
            trySwitch(m); // one move at a time: a later promotion follows once this one is served
          }
          schedulePoll();
        });
  }

  /** Writes new images to {@code next} from now on and starts backfilling it. */
  private void moveTo(String next) throws IOException {
    IndexBackend.Served serving = backend.served().orElseThrow();
    if (!serving.version().equals(version())) {
      throw new IllegalStateException(
          "index alias serves " + serving.version() + " but this shard writes " + version());
    }
    ModelArtifact nextArtifact = registry.read(next);
    ShardSink nextShard = openShard(nextArtifact, next);
    commit(); // the backfill reads commits: make every write so far part of one
    ShardSink source = shard;
    shard = nextShard;
    ModelRuntime previous = runtime;
    runtime = settings.runtime(nextArtifact);
    previous.close();
    beginMove(serving, source);
  }

  /** Starts the move from {@code serving}, from its shard {@code ownSource} if not null. */
  private void beginMove(IndexBackend.Served serving, ShardSink ownSource) throws IOException {
    ShardMove m =
        ShardMove.begin(
            backend, shardNumber, shards, serving, version(), ownSource, shard, runtime::reembed);
    move = m;
    scheduleBackfill(m, 0);
  }

  private void scheduleBackfill(ShardMove m, long delayMs) {
    time.registerTimer(
        time.getCurrentProcessingTime() + delayMs,
        at -> {
          if (move == m && !m.backfillDone()) {
            long start = System.nanoTime();
            metrics.backfillFailed.inc(m.step(settings.backfillBatchSize()));
            long took = (System.nanoTime() - start) / 1_000_000;
            if (!m.backfillDone()) {
              scheduleBackfill(m, Math.max(1, took)); // the stream gets the other half
            }
          }
        });
  }

  /** Ends the move once the new version is served; shard 0's writer then applies retention. */
  private void trySwitch(ShardMove m) throws IOException {
    if (!m.trySwitch()) {
      return;
    }
    move = null;
    metrics.switches.inc();
    m.close();
    if (shardNumber == 0) {
      for (String old : backend.retain(settings.retainVersions())) {
        LOG.info("deleted the shards of model {} (index.retain-versions)", old);
      }
    }
  }

  @Override
  public List<SourcePosition> snapshotState(long checkpointId) {
    return List.of(new SourcePosition(offsets));
  }

  @Override
  public void close() throws IOException {
    if (publisher != null) {
      publisher.close(); // waits for a running publish before the shard closes
    }
    ShardMove m = move;
    move = null;
    try (IndexBackend index = backend;
        ShardSink current = shard;
        ModelRuntime model = runtime) {
      if (m != null) {
        m.close();
      }
    }
  }
}
