package io.pixelstream.core.index;

import io.pixelstream.core.io.ThreadNiceness;
import java.io.IOException;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;

/**
 * Lucene's concurrent merge scheduler with the threads of large merges at a lowered OS priority. A
 * merge rebuilds the merged segments' HNSW graph, seconds of CPU in one burst; at normal priority
 * it takes a core from the threads that embed and index. At a high nice value the merge uses the
 * cores those threads leave idle (measured: ingest 3,118-3,155 images/s against 2,731-2,845
 * without, freshness unchanged; docs/benchmarks.md). Merges of at most {@link #SMALL_MERGE_DOCS}
 * documents keep the normal priority: the segments that frequent publishes leave are small, cheap
 * to merge, and on a busy machine a niced merge waits for an idle core that does not come, so their
 * count grew (51-72 segments seen) and every query searches each. Lucene stalls indexing when more
 * merges wait than the scheduler allows, so a large merge cannot fall behind without bound either.
 */
final class NiceMergeScheduler extends ConcurrentMergeScheduler {

  /**
   * Merges of up to this many documents (ten of the segments a 100 ms publish leaves at 1,000
   * images/s, and more) run at normal priority.
   */
  static final int SMALL_MERGE_DOCS = 5_000;

  private final int nice;
  private final int smallMergeDocs;

  /**
   * @param nice the merge threads' nice value, 1 to {@link ThreadNiceness#MAX_NICE}
   */
  NiceMergeScheduler(int nice) {
    this(nice, SMALL_MERGE_DOCS);
  }

  /**
   * @param smallMergeDocs merges of up to this many documents run at normal priority
   */
  NiceMergeScheduler(int nice, int smallMergeDocs) {
    if (nice < 1 || nice > ThreadNiceness.MAX_NICE) {
      throw new IllegalArgumentException(
          "nice must be in 1.." + ThreadNiceness.MAX_NICE + ", got " + nice);
    }
    if (smallMergeDocs < 0) {
      throw new IllegalArgumentException("smallMergeDocs must be >= 0, got " + smallMergeDocs);
    }
    this.nice = nice;
    this.smallMergeDocs = smallMergeDocs;
  }

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    if (merge.totalNumDocs() > smallMergeDocs) {
      ThreadNiceness.lowerCurrent(nice); // a no-op when already that nice
    }
    super.doMerge(mergeSource, merge);
  }
}
