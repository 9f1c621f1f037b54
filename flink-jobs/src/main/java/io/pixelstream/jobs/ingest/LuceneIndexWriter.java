package io.pixelstream.jobs.ingest;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.lucene.index.VectorSimilarityFunction;

/** One shard's writer; see {@link LuceneIndexSink}. */
final class LuceneIndexWriter implements StatefulSinkWriter<ImageEvent, SourcePosition> {

  private final ShardWriter shard;
  private final String modelVersion;
  private final String restoredFrom;

  /** Highest offset written per {@code topic-partition}, restored from state after a restart. */
  private final Map<String, Long> offsets;

  /** Kafka timestamps of the writes since the last commit, for the freshness histogram. */
  private long[] pendingEventTimes = new long[1024];

  private int pending;

  private final Counter indexed;
  private final Counter deleted;
  private final Counter commits;
  private final Histogram freshness;
  private volatile long lastCommitTime;

  LuceneIndexWriter(
      IngestSettings settings,
      String modelVersion,
      String similarity,
      int shardNumber,
      Map<String, Long> restoredOffsets,
      OptionalLong restoredCheckpointId,
      MetricGroup metrics)
      throws IOException {
    this.modelVersion = modelVersion;
    this.offsets = new TreeMap<>(restoredOffsets);
    this.restoredFrom =
        restoredCheckpointId.isPresent() ? Long.toString(restoredCheckpointId.getAsLong()) : "";
    Path dir = new IndexLayout(Path.of(settings.indexRoot())).shardDir(modelVersion, shardNumber);
    this.shard =
        ShardWriter.open(
            dir,
            VectorSimilarityFunction.valueOf(similarity),
            settings.hnsw(),
            settings.ramBufferMb());
    MetricGroup group = IngestMetrics.group(metrics);
    indexed = group.counter(IngestMetrics.INDEXED);
    deleted = group.counter(IngestMetrics.DELETED);
    commits = group.counter(IngestMetrics.COMMITS);
    freshness = IngestMetrics.histogram(group, IngestMetrics.FRESHNESS_MS);
    group.gauge(IngestMetrics.LAST_COMMIT_TIME, () -> lastCommitTime);
  }

  @Override
  public void write(ImageEvent e, Context context) throws IOException {
    if (e.deleted) {
      shard.delete(e.id);
      deleted.inc();
    } else {
      shard.upsert(
          new IndexedImage(
              e.id,
              e.vector,
              e.cluster,
              e.label,
              e.source,
              e.modelVersion,
              e.ingestTime,
              e.eventTime,
              e.image));
      indexed.inc();
    }
    offsets.merge(e.topic + "-" + e.partition, e.offset, Math::max);
    if (pending == pendingEventTimes.length) {
      pendingEventTimes = java.util.Arrays.copyOf(pendingEventTimes, pending * 2);
    }
    pendingEventTimes[pending++] = e.eventTime;
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    if (pending == 0 && !shard.hasUncommittedChanges()) {
      return;
    }
    long now = System.currentTimeMillis();
    shard.commit(
        Map.of(
            IndexFields.COMMIT_SOURCE_OFFSETS,
            SourcePosition.format(offsets),
            IndexFields.COMMIT_TIME,
            Long.toString(now),
            IndexFields.COMMIT_MODEL_VERSION,
            modelVersion,
            IndexFields.COMMIT_RESTORED_CHECKPOINT,
            restoredFrom));
    lastCommitTime = now;
    commits.inc();
    for (int i = 0; i < pending; i++) {
      freshness.update(now - pendingEventTimes[i]);
    }
    pending = 0;
  }

  @Override
  public List<SourcePosition> snapshotState(long checkpointId) {
    return List.of(new SourcePosition(offsets));
  }

  @Override
  public void close() throws IOException {
    shard.close();
  }
}
