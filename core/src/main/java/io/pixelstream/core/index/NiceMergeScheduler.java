package io.pixelstream.core.index;

import io.pixelstream.core.io.ThreadNiceness;
import java.io.IOException;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;

/**
 * Lucene's concurrent merge scheduler with merge threads at a lowered OS priority. A merge rebuilds
 * the merged segments' HNSW graph, seconds of CPU in one burst; at normal priority it takes a core
 * from the threads that embed and index. At a high nice value the merge uses the cores those
 * threads leave idle (measured: ingest 3,118-3,155 images/s against 2,731-2,845 without, freshness
 * unchanged; docs/benchmarks.md). It cannot fall behind without bound: when more merges wait than
 * the scheduler allows, Lucene stalls indexing until they are done, as it does without this class.
 */
final class NiceMergeScheduler extends ConcurrentMergeScheduler {

  private final int nice;

  /**
   * @param nice the merge threads' nice value, 1 to {@link ThreadNiceness#MAX_NICE}
   */
  NiceMergeScheduler(int nice) {
    if (nice < 1 || nice > ThreadNiceness.MAX_NICE) {
      throw new IllegalArgumentException(
          "nice must be in 1.." + ThreadNiceness.MAX_NICE + ", got " + nice);
    }
    this.nice = nice;
  }

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    ThreadNiceness.lowerCurrent(nice); // each merge thread once; a no-op when already that nice
    super.doMerge(mergeSource, merge);
  }
}
