package io.pixelstream.jobs.ingest;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * With {@code ingest.duplicate-threshold}: looks each newly embedded image up in the live index of
 * its model version (HNSW, the best two, skipping the image's own id) and among the last {@link
 * #RECENT} images this subtask saw ({@link RecentImages}: those not searchable yet). When the best
 * scores at least the threshold, the image gets {@code duplicateOf}; the sink stores it and the
 * match step writes a match event with watch id {@code duplicate}. The index view is refreshed at
 * most every {@link #REFRESH_MS}.
 */
final class DuplicateTagger extends ProcessFunction<ImageEvent, ImageEvent> {

  static final int RECENT = 4096;
  static final long REFRESH_MS = 500;
  private static final int CANDIDATES = 8;

  private final IngestSettings settings;
  private transient IndexBackend backend;
  private transient PinnedVersion index;
  private transient VersionModels models;
  private transient VectorSimilarityFunction similarity;
  private transient RecentImages recent;
  private transient long refreshedAt;
  private transient Counter duplicates;
  private transient Counter lookupNanos;

  DuplicateTagger(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    backend = settings.indexBackend();
    models = new VersionModels(settings);
    recent = new RecentImages(RECENT);
    MetricGroup group = IngestMetrics.group(getRuntimeContext().getMetricGroup());
    duplicates = group.counter(IngestMetrics.DUPLICATES);
    lookupNanos = group.counter(IngestMetrics.DUPLICATE_LOOKUP_NANOS);
  }

  @Override
  public void processElement(ImageEvent e, Context ctx, Collector<ImageEvent> out)
      throws IOException {
    if (!e.deleted && e.vector != null) {
      long start = System.nanoTime();
      tag(e);
      lookupNanos.inc(System.nanoTime() - start);
    }
    out.collect(e);
  }

  private void tag(ImageEvent e) throws IOException {
    useVersion(e.modelVersion);
    String bestId = null;
    float bestScore = Float.NEGATIVE_INFINITY;
    SearchResult found =
        index.search(e.vector, new SearchRequest(2, SearchMode.HNSW, null, null, CANDIDATES), null);
    for (SearchResult.Hit hit : found.hits()) {
      if (!hit.id().equals(e.id) && hit.score() > bestScore) {
        bestId = hit.id();
        bestScore = hit.score();
      }
    }
    RecentImages.Best fresh = recent.best(e.id, e.vector, similarity);
    if (fresh != null && fresh.score() > bestScore) {
      bestId = fresh.id();
      bestScore = fresh.score();
    }
    recent.add(e.id, e.vector);
    if (bestId != null && bestScore >= settings.duplicateThreshold()) {
      e.duplicateOf = bestId;
      e.duplicateScore = bestScore;
      duplicates.inc();
    }
  }

  private void useVersion(String version) throws IOException {
    if (index != null && index.modelVersion().equals(version)) {
      long now = System.currentTimeMillis();
      if (now - refreshedAt >= REFRESH_MS) {
        index.refresh();
        refreshedAt = now;
      }
      return;
    }
    if (index != null) {
      index.close();
    }
    index = backend.open(version);
    refreshedAt = System.currentTimeMillis();
    similarity = VectorSimilarityFunction.valueOf(models.similarity(version));
    recent.clear(); // vectors of another model do not compare
  }

  @Override
  public void close() throws Exception {
    try (IndexBackend b = backend;
        PinnedVersion i = index;
        VersionModels m = models) {
      super.close();
    }
  }
}
