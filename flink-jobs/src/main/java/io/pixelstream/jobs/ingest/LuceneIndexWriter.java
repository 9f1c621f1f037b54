package io.pixelstream.jobs.ingest;

import io.pixelstream.core.embed.ImageReembedder;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.ShardBackfill;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's writer; see {@link LuceneIndexSink}. With a registry it also moves the shard to a
 * newly promoted model version: new images go to the new version's shard, a {@link ShardBackfill}
 * copies the served version's images into it in steps that take at most half of this writer's time,
 * deletes go to both, and once every shard's backfill is committed the last one to finish moves the
 * {@link ServingAlias}.
 */
final class LuceneIndexWriter implements StatefulSinkWriter<ImageEvent, SourcePosition> {

  private static final Logger LOG = LoggerFactory.getLogger(LuceneIndexWriter.class);
  private static final long PROGRESS_LOG_MS = 5_000;

  private final IngestSettings settings;
  private final IndexLayout layout;
  private final int shardNumber;
  private final String restoredFrom;

  /** Highest offset written per {@code topic-partition}, restored from state after a restart. */
  private final Map<String, Long> offsets;

  /** Null with a fixed model ({@code model.dir}). */
  private final ModelRegistry registry;

  private final ServingAlias alias;
  private final ProcessingTimeService time;

  /** The version new images are written to, its artifact and its shard. */
  private ModelArtifact artifact;

  private ShardWriter shard;

  /** Re-embeds with {@link #artifact}; opened when first needed. */
  private ImageReembedder reembedder;

  /** Set while the served version's images are copied into {@link #artifact}'s shard. */
  private volatile Transition transition;

  private String refusedVersion;

  /** Kafka timestamps of the writes since the last commit, for the freshness histogram. */
  private long[] pendingEventTimes = new long[1024];

  private int pending;

  private final Counter indexed;
  private final Counter deleted;
  private final Counter commits;
  private final Counter stragglers;
  private final Counter backfillFailed;
  private final Counter switches;
  private final Counter indexNanos;
  private final Counter commitNanos;
  private final Histogram freshness;
  private volatile long lastCommitTime;
  private volatile double backfillRate;

  LuceneIndexWriter(
      IngestSettings settings,
      int shardNumber,
      Map<String, Long> restoredOffsets,
      OptionalLong restoredCheckpointId,
      MetricGroup metrics,
      ProcessingTimeService time)
      throws IOException {
    this.settings = settings;
    this.layout = new IndexLayout(Path.of(settings.indexRoot()));
    this.shardNumber = shardNumber;
    this.time = time;
    this.offsets = new TreeMap<>(restoredOffsets);
    this.restoredFrom =
        restoredCheckpointId.isPresent() ? Long.toString(restoredCheckpointId.getAsLong()) : "";
    MetricGroup group = IngestMetrics.group(metrics);
    indexed = group.counter(IngestMetrics.INDEXED);
    deleted = group.counter(IngestMetrics.DELETED);
    commits = group.counter(IngestMetrics.COMMITS);
    stragglers = group.counter(IngestMetrics.STRAGGLERS_REEMBEDDED);
    backfillFailed = group.counter(IngestMetrics.BACKFILL_FAILED);
    switches = group.counter(IngestMetrics.MODEL_SWITCHES);
    indexNanos = group.counter(IngestMetrics.INDEX_NANOS);
    commitNanos = group.counter(IngestMetrics.COMMIT_NANOS);
    freshness = IngestMetrics.histogram(group, IngestMetrics.FRESHNESS_MS);
    group.gauge(IngestMetrics.LAST_COMMIT_TIME, () -> lastCommitTime);
    group.gauge(
        IngestMetrics.BACKFILL_VISITED,
        () -> {
          Transition t = transition;
          return t == null ? 0L : t.visited;
        });
    group.gauge(
        IngestMetrics.BACKFILL_TOTAL,
        () -> {
          Transition t = transition;
          return t == null ? 0L : t.backfill.total();
        });
    group.gauge(IngestMetrics.BACKFILL_RATE, () -> backfillRate);

    ModelArtifact start = settings.startModel();
    this.shard = openShard(start);
    this.artifact = start;
    if (!settings.followsRegistry()) {
      this.registry = null;
      this.alias = null;
      return;
    }
    this.registry = new ModelRegistry(Path.of(settings.modelRegistry()));
    this.alias = new ServingAlias(Path.of(settings.indexRoot()));
    ServingAlias.State serving = alias.read().orElse(null);
    if (serving == null) {
      serving = alias.switchTo(start.version()); // a new index root serves the first model
    }
    if (!serving.version().equals(start.version())) {
      // a restart during a move, or a promotion while the job was down
      beginTransition(serving, openShardOf(serving.version()));
    }
    schedulePoll();
  }

  private ShardWriter openShard(ModelArtifact model) throws IOException {
    return openShardOf(model.version(), model.manifest().similarity());
  }

  /** The served version's shard: only deleted from, so the similarity does not matter. */
  private ShardWriter openShardOf(String version) throws IOException {
    return openShardOf(version, artifact.manifest().similarity());
  }

  private ShardWriter openShardOf(String version, String similarity) throws IOException {
    return ShardWriter.open(
        layout.shardDir(version, shardNumber),
        VectorSimilarityFunction.valueOf(similarity),
        settings.hnsw(),
        settings.ramBufferMb(),
        settings.mergeNice());
  }

  @Override
  public void write(ImageEvent e, Context context) throws IOException {
    long start = System.nanoTime();
    try {
      writeTimed(e);
    } finally {
      indexNanos.inc(System.nanoTime() - start);
    }
  }

  private void writeTimed(ImageEvent e) throws IOException {
    if (registry != null
        && transition == null
        && e.modelVersion != null
        && !e.modelVersion.equals(version())
        && !e.modelVersion.equals(refusedVersion)) {
      checkRegistry(); // the embed step may have seen a promotion before this writer did
    }
    Transition t = transition;
    if (e.deleted) {
      shard.delete(e.id);
      if (t != null) {
        t.source.delete(e.id);
        t.backfill.touched(e.id);
      }
      deleted.inc();
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
              e.image);
      if (!version().equals(e.modelVersion)) {
        image = reembedder().reembed(List.of(image)).get(0);
        stragglers.inc();
      }
      if (image == null) {
        backfillFailed.inc();
        LOG.error("image {} could not be re-embedded with model {}", e.id, version());
      } else {
        shard.upsert(image);
        if (t != null) {
          t.backfill.touched(e.id);
        }
        indexed.inc();
      }
    }
    offsets.merge(e.topic + "-" + e.partition, e.offset, Math::max);
    if (pending == pendingEventTimes.length) {
      pendingEventTimes = java.util.Arrays.copyOf(pendingEventTimes, pending * 2);
    }
    pendingEventTimes[pending++] = e.eventTime;
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    Transition t = transition;
    if (t != null && endOfInput) {
      while (!t.backfill.done()) {
        stepBackfill(t);
      }
    }
    if (t == null && pending == 0 && !shard.hasUncommittedChanges()) {
      return;
    }
    commit();
    if (t != null && t.doneCommitted) {
      maybeSwitchAlias();
    }
  }

  /** Commits the shard (and, during a move, the served version's shard and the backfill). */
  private void commit() throws IOException {
    long start = System.nanoTime();
    try {
      commitTimed();
    } finally {
      commitNanos.inc(System.nanoTime() - start);
    }
  }

  private void commitTimed() throws IOException {
    long now = System.currentTimeMillis();
    Map<String, String> data = new HashMap<>();
    data.put(IndexFields.COMMIT_SOURCE_OFFSETS, SourcePosition.format(offsets));
    data.put(IndexFields.COMMIT_TIME, Long.toString(now));
    data.put(IndexFields.COMMIT_MODEL_VERSION, version());
    data.put(IndexFields.COMMIT_RESTORED_CHECKPOINT, restoredFrom);
    Transition t = transition;
    if (t != null) {
      Map<String, String> sourceData = t.source.commitData();
      sourceData.put(IndexFields.COMMIT_TIME, Long.toString(now));
      t.source.commit(sourceData);
      data.putAll(t.backfill.commitData());
    }
    shard.commit(data);
    if (t != null) {
      t.backfill.afterCommit();
      t.doneCommitted = t.backfill.done();
    }
    lastCommitTime = now;
    commits.inc();
    for (int i = 0; i < pending; i++) {
      freshness.update(now - pendingEventTimes[i]);
    }
    pending = 0;
  }

  private String version() {
    return artifact.version();
  }

  private ImageReembedder reembedder() {
    if (reembedder == null) {
      reembedder = ImageReembedder.open(artifact, settings.device(), settings.imageLimits());
    }
    return reembedder;
  }

  private void schedulePoll() {
    time.registerTimer(
        time.getCurrentProcessingTime() + settings.modelPollMs(),
        at -> {
          checkRegistry();
          schedulePoll();
        });
  }

  /** Starts a move when another version was promoted; finishes one whose backfill is done. */
  private void checkRegistry() {
    String current = null; // stays null when the pointer itself cannot be read: retry next poll
    try {
      Transition t = transition;
      if (t != null) {
        if (t.doneCommitted) {
          maybeSwitchAlias();
        }
        return; // one move at a time: a later promotion follows once this one is served
      }
      current = registry.current().orElse(version());
      if (!current.equals(version()) && !current.equals(refusedVersion)) {
        moveTo(current);
      }
    } catch (IOException | RuntimeException e) {
      refusedVersion = current;
      LOG.error(
          "shard {}: cannot move to model {}; still writing {}",
          shardNumber,
          current,
          version(),
          e);
    }
  }

  /** Writes new images to {@code next} from now on and starts backfilling it. */
  private void moveTo(String next) throws IOException {
    ServingAlias.State serving = alias.read().orElseThrow();
    if (!serving.version().equals(version())) {
      throw new IllegalStateException(
          "index alias serves " + serving.version() + " but this shard writes " + version());
    }
    ModelArtifact nextArtifact = registry.read(next);
    ShardWriter nextShard = openShard(nextArtifact);
    commit(); // the backfill reads commits: make every write so far part of one
    ShardWriter source = shard;
    shard = nextShard;
    artifact = nextArtifact;
    if (reembedder != null) {
      reembedder.close();
      reembedder = null;
    }
    beginTransition(serving, source);
  }

  private void beginTransition(ServingAlias.State serving, ShardWriter source) throws IOException {
    ShardBackfill backfill =
        ShardBackfill.startOrResume(
            source, shard, serving.version(), serving.generation(), reembedder());
    Transition t = new Transition(serving.version(), source, backfill);
    t.doneCommitted = backfill.done(); // only a resumed backfill starts done, and it was committed
    transition = t;
    LOG.info(
        "shard {}: new images go to model {}; backfilling {} images of {}{}",
        shardNumber,
        version(),
        backfill.total(),
        serving.version(),
        backfill.copied() > 0 ? " (resumed, " + backfill.copied() + " already copied)" : "");
    scheduleBackfill(t, 0);
  }

  private void scheduleBackfill(Transition t, long delayMs) {
    time.registerTimer(
        time.getCurrentProcessingTime() + delayMs,
        at -> {
          if (transition == t && !t.backfill.done()) {
            long took = stepBackfill(t);
            if (!t.backfill.done()) {
              scheduleBackfill(t, Math.max(1, took)); // the stream gets the other half
            }
          }
        });
  }

  /** One backfill step; returns its milliseconds. */
  private long stepBackfill(Transition t) throws IOException {
    long start = System.nanoTime();
    long failedBefore = t.backfill.failed();
    t.visited += t.backfill.step(settings.backfillBatchSize());
    backfillFailed.inc(t.backfill.failed() - failedBefore);
    long now = System.currentTimeMillis();
    if (now - t.lastLogTime >= PROGRESS_LOG_MS || t.backfill.done()) {
      backfillRate = (t.visited - t.lastLogVisited) * 1000.0 / Math.max(1, now - t.lastLogTime);
      t.lastLogTime = now;
      t.lastLogVisited = t.visited;
      LOG.info(
          "shard {}: backfill {} -> {}: {}/{} images ({} copied), {} images/s{}",
          shardNumber,
          t.from,
          version(),
          t.visited,
          t.backfill.total(),
          t.backfill.copied(),
          Math.round(backfillRate),
          t.backfill.done()
              ? ", done in " + (now - t.startTime) / 1000.0 + " s; switching after the next commit"
              : "");
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Moves the alias once every shard of the new version committed a finished backfill. */
  private void maybeSwitchAlias() throws IOException {
    Transition t = transition;
    ServingAlias.State now = alias.read().orElseThrow();
    if (now.version().equals(version())) {
      endTransition(t, now); // another shard's writer moved it
      return;
    }
    List<Path> shards = layout.shardDirs(version());
    if (shards.size() != settings.parallelism()) {
      return;
    }
    for (Path dir : shards) {
      if (!ShardBackfill.finished(ShardWriter.lastCommitData(dir), t.from, t.backfill.epoch())) {
        return;
      }
    }
    ServingAlias.State after = alias.switchTo(version());
    LOG.info(
        "index alias moved from {} to {}, {} s after the promotion was seen",
        t.from,
        version(),
        (System.currentTimeMillis() - t.startTime) / 1000.0);
    endTransition(t, after);
  }

  private void endTransition(Transition t, ServingAlias.State serving) throws IOException {
    transition = null;
    backfillRate = 0;
    switches.inc();
    try {
      t.close();
    } finally {
      if (shardNumber == 0) {
        for (String old : ServingAlias.expired(serving, settings.retainVersions())) {
          if (!old.equals(version())) {
            layout.deleteVersion(old);
            LOG.info("deleted the shards of model {} (index.retain-versions)", old);
          }
        }
      }
    }
  }

  @Override
  public List<SourcePosition> snapshotState(long checkpointId) {
    return List.of(new SourcePosition(offsets));
  }

  @Override
  public void close() throws IOException {
    try {
      Transition t = transition;
      transition = null;
      if (t != null) {
        t.close();
      }
      if (reembedder != null) {
        reembedder.close();
      }
    } finally {
      shard.close();
    }
  }

  /** A move in progress: the served version's shard and the backfill out of it. */
  private static final class Transition {
    final String from;
    final ShardWriter source;
    final ShardBackfill backfill;
    final long startTime = System.currentTimeMillis();
    volatile long visited;
    long lastLogTime = startTime;
    long lastLogVisited;

    /** True once a commit recorded the backfill as done. */
    boolean doneCommitted;

    Transition(String from, ShardWriter source, ShardBackfill backfill) {
      this.from = from;
      this.source = source;
      this.backfill = backfill;
    }

    void close() throws IOException {
      try {
        backfill.close();
      } finally {
        source.close(); // its committed deletes are all it needed
      }
    }
  }
}
