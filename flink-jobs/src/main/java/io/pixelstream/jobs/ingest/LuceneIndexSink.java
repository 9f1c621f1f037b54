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
 * Writes image events into the Lucene shards of one model version: subtask {@code n} owns {@code
 * <index-root>/<model-version>/shard-<n>}. Each writer commits its shard when Flink flushes it
 * before a checkpoint barrier, recording the Kafka position in the commit, so a restore replays at
 * most what the shard already holds, and upserts by id make the replay harmless. The Kafka position
 * is also kept in Flink state ({@link SourcePosition}), so commits after a restore still carry it.
 */
public final class LuceneIndexSink
    implements Sink<ImageEvent>, SupportsWriterState<ImageEvent, SourcePosition> {

  private final IngestSettings settings;
  private final String modelVersion;
  private final String similarity;

  /**
   * @param settings the job settings (index root, HNSW parameters)
   * @param modelVersion the model version whose shards this sink writes
   * @param similarity the manifest's vector similarity
   */
  public LuceneIndexSink(IngestSettings settings, String modelVersion, String similarity) {
    this.settings = settings;
    this.modelVersion = modelVersion;
    this.similarity = similarity;
  }

  @Override
  public StatefulSinkWriter<ImageEvent, SourcePosition> createWriter(WriterInitContext context)
      throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<ImageEvent, SourcePosition> restoreWriter(
      WriterInitContext context, Collection<SourcePosition> restored) throws IOException {
    return new LuceneIndexWriter(
        settings,
        modelVersion,
        similarity,
        context.getTaskInfo().getIndexOfThisSubtask(),
        SourcePosition.merge(restored),
        context.getRestoredCheckpointId(),
        context.metricGroup());
  }

  @Override
  public SimpleVersionedSerializer<SourcePosition> getWriterStateSerializer() {
    return new SourcePosition.Serializer();
  }
}
