package io.pixelstream.core.index;

import io.pixelstream.core.io.ThreadNiceness;
import java.io.IOException;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;

/**
 * Lucene's concurrent merge scheduler with merge threads at a lowered OS priority. A merge rebuilds
 * the merged segments' HNSW graph, seconds of CPU in one burst; at normal priority it takes a core
 * from the threads that embed, index and commit, and the images waiting for that commit become
 * visible late (the freshness tail in docs/benchmarks.md). At a high nice value the merge uses the
 * cores those threads leave idle. It cannot fall behind without bound: when more merges wait than
 * the scheduler allows, Lucene stalls indexing until they are done, as it does without this class.
 */
final class NiceMergeScheduler extends ConcurrentMergeScheduler {

  private final int nice;

  /**
   * @param nice the merge threads' nice value, 1 to 19
   */
  NiceMergeScheduler(int nice) {
    if (nice < 1 || nice > 19) {
      throw new IllegalArgumentException("nice must be in 1..19, got " + nice);
    }
    this.nice = nice;
  }

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    ThreadNiceness.lowerCurrent(nice); // each merge thread once; a no-op when already that nice
    super.doMerge(mergeSource, merge);
  }
}
