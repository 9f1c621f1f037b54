package io.pixelstream.jobs.ingest;

import io.pixelstream.core.watch.MatchEvent;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes match events to the match topic once per (watch, image record), also across restores,
 * without waiting for a checkpoint (a transactional sink would hold every match until the next
 * one): the writer flushes before each checkpoint barrier and keeps in its state how far the topic
 * was written; a restored writer reads what was written after that back and skips those events when
 * the replay produces them again ({@link MatchSinkWriter}).
 */
final class MatchSink implements Sink<MatchEvent>, SupportsWriterState<MatchEvent, MatchSinkState> {

  private final IngestSettings settings;

  MatchSink(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public StatefulSinkWriter<MatchEvent, MatchSinkState> createWriter(WriterInitContext context)
      throws IOException {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<MatchEvent, MatchSinkState> restoreWriter(
      WriterInitContext context, Collection<MatchSinkState> restored) throws IOException {
    return new MatchSinkWriter(
        settings,
        restored.isEmpty() ? null : MatchSinkState.merge(restored),
        context.metricGroup());
  }

  @Override
  public SimpleVersionedSerializer<MatchSinkState> getWriterStateSerializer() {
    return new MatchSinkState.Serializer();
  }
}
