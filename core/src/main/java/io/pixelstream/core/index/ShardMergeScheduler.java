package io.pixelstream.core.index;

import io.pixelstream.core.io.ThreadNiceness;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;

/**
 * Lucene's concurrent merge scheduler as a shard needs it. A merge rebuilds the merged segments'
 * HNSW graph, seconds of CPU in one burst; at normal priority it takes a core from the threads that
 * embed and index. So the threads of large merges run at a lowered OS priority and use the cores
 * those threads leave idle (measured: ingest 3,118-3,155 images/s against 2,731-2,845 without,
 * freshness unchanged; docs/benchmarks.md). Merges of at most {@link #SMALL_MERGE_DOCS} documents
 * keep the normal priority: the segments that frequent publishes leave are small and cheap to
 * merge, and on a busy machine a niced merge waits for an idle core that does not come, so their
 * count grew (51-72 segments seen) and every query searches each. Lucene stalls indexing when more
 * merges wait than the scheduler allows; that bounds the merges waiting, not the segments (below).
 *
 * <p>A niced merge gets a core only when the rest of the process leaves one idle. While the job
 * runs flat out through a backlog none is idle, and at a million images the niced merges (of more
 * than {@link #SMALL_MERGE_DOCS} documents) never finished: 132 segments of at most 10,285
 * documents each after 311,087 images, every one a graph that each query searches. So once the
 * shard holds more than {@link #SEGMENT_BUDGET} segments, a large merge that starts keeps the
 * normal priority too and takes its share of the cores from ingestion, until the count is back
 * under the budget.
 *
 * <p>Up to {@link #MAX_MERGES} merges may be outstanding before Lucene stalls the thread that
 * flushes (Lucene's default on an SSD with two cores: 6), with {@link #MAX_MERGE_THREADS} running
 * at once (Lucene's: 1): a publish is a flush, and with the defaults a large merge crawling at a
 * high nice value on a busy machine held small ones back until a publish stalled for seconds (8.2 s
 * seen at 500 images/s).
 *
 * <p>Each merge builds its graph on its own thread, with Lucene's single-threaded graph merger:
 * given any intra-merge executor, even one that runs tasks on the calling thread, Lucene 9.12 takes
 * its concurrent graph builder, whose per-node read-write locks took 7.7 % of the ingest
 * benchmark's CPU samples, and whose helper threads would not run at the merge's nice value.
 */
final class ShardMergeScheduler extends ConcurrentMergeScheduler {

  /**
   * Merges of up to this many documents (ten of the segments a 100 ms publish leaves at 1,000
   * images/s, and more) run at normal priority.
   */
  static final int SMALL_MERGE_DOCS = 5_000;

  /** Segments in the shard above which large merges keep the normal priority. */
  static final int SEGMENT_BUDGET = 30;

  /** Merges running or waiting before Lucene stalls indexing. */
  static final int MAX_MERGES = 12;

  /** Merges running at once: a large niced one and a small one beside it. */
  static final int MAX_MERGE_THREADS = 2;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final int nice;
  private final int smallMergeDocs;
  private final int segmentBudget;
  private final IntSupplier segments;
  private final AtomicLong cpuNanos = new AtomicLong();

  /**
   * @param nice the nice value of large merges' threads, 1 to {@link ThreadNiceness#MAX_NICE}, or 0
   *     to merge at the priority of the rest of the process
   */
  ShardMergeScheduler(int nice, IntSupplier segments) {
    this(nice, SMALL_MERGE_DOCS, SEGMENT_BUDGET, segments);
  }

  /**
   * @param smallMergeDocs merges of up to this many documents run at normal priority
   * @param segmentBudget while the shard holds more segments than this, every merge does
   * @param segments the shard's segment count now
   */
  ShardMergeScheduler(int nice, int smallMergeDocs, int segmentBudget, IntSupplier segments) {
    if (nice < 0 || nice > ThreadNiceness.MAX_NICE) {
      throw new IllegalArgumentException(
          "nice must be in 0.." + ThreadNiceness.MAX_NICE + ", got " + nice);
    }
    if (smallMergeDocs < 0) {
      throw new IllegalArgumentException("smallMergeDocs must be >= 0, got " + smallMergeDocs);
    }
    if (segmentBudget < 1) {
      throw new IllegalArgumentException("segmentBudget must be >= 1, got " + segmentBudget);
    }
    this.nice = nice;
    this.smallMergeDocs = smallMergeDocs;
    this.segmentBudget = segmentBudget;
    this.segments = segments;
    setMaxMergesAndThreads(MAX_MERGES, MAX_MERGE_THREADS);
  }

  @Override
  public Executor getIntraMergeExecutor(MergePolicy.OneMerge merge) {
    return null; // the graph merger without locks, on the merge's own (niced) thread
  }

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    if (nice > 0 && merge.totalNumDocs() > smallMergeDocs && segments.getAsInt() <= segmentBudget) {
      ThreadNiceness.lowerCurrent(nice); // a no-op when already that nice
    }
    long start = THREADS.getCurrentThreadCpuTime();
    try {
      super.doMerge(mergeSource, merge);
    } finally {
      cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
    }
  }

  /** CPU time of the merges that ended so far, in nanoseconds. */
  long cpuNanos() {
    return cpuNanos.get();
  }
}
