package io.pixelstream.jobs.ingest;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes image events into the Lucene shards of the current model version: subtask {@code n} owns
 * {@code <index-root>/<model-version>/shard-<n>} (and, while the job moves to a newly promoted
 * version, the same shard of the served one; see {@link ShardSinkWriter}). Each writer commits its
 * shard when Flink flushes it before a checkpoint barrier, recording the Kafka position in the
 * commit, so a restore replays at most what the shard already holds, and upserts by id make the
 * replay harmless. The Kafka position is also kept in Flink state ({@link SourcePosition}), so
 * commits after a restore still carry it.
 */
public final class LuceneIndexSink
    implements Sink<ImageEvent>, SupportsWriterState<ImageEvent, SourcePosition> {

  private final IngestSettings settings;

  /**
   * @param settings the job settings (the model or registry, index root, HNSW parameters)
   */
  public LuceneIndexSink(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public StatefulSinkWriter<ImageEvent, SourcePosition> createWriter(WriterInitContext context)
      throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<ImageEvent, SourcePosition> restoreWriter(
      WriterInitContext context, Collection<SourcePosition> restored) throws IOException {
    return new ShardSinkWriter(
        settings,
        context.getTaskInfo().getIndexOfThisSubtask(),
        context.getTaskInfo().getNumberOfParallelSubtasks(),
        SourcePosition.merge(restored),
        context.getRestoredCheckpointId(),
        context.metricGroup(),
        context.getProcessingTimeService());
  }

  @Override
  public SimpleVersionedSerializer<SourcePosition> getWriterStateSerializer() {
    return new SourcePosition.Serializer();
  }
}
