package io.pixelstream.core.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;

/**
 * Merges smaller segments into a larger one, whose HNSW graph the merge keeps. Lucene 9.12 builds a
 * merged segment's graph by copying the graph of its largest input without deletions and inserting
 * the other inputs' vectors, so a merge costs graph insertions for all but its largest input.
 * Lucene's tiered policy prefers merges of equal segments, where nine tenths of the documents are
 * inserted again; this policy prefers one large segment that takes in the small ones, paying with
 * copies (stored fields, vectors, the kept graph), which cost far less than insertions.
 *
 * <p>The rule: with the segments not merging now ordered by live documents, largest first, it
 * merges the largest segment {@code s} for which at least {@link #minTail} smaller segments exist
 * and hold together at least {@code 1 / fanOut} of {@code s}'s documents, with all of them.
 * Segments over the tiered policy's maximum merged size never take others in. Forced merges and
 * merges that reclaim deletions are the tiered policy's.
 */
final class IntoLargestMergePolicy extends FilterMergePolicy {

  /** Fewest smaller segments a merge takes in. */
  static final int MIN_TAIL = 10;

  /** A segment takes in smaller ones once they hold 1 / FAN_OUT of its documents. */
  static final int FAN_OUT = 10;

  private final int minTail;
  private final int fanOut;
  private final long maxMergedBytes;

  IntoLargestMergePolicy(TieredMergePolicy tiered) {
    this(tiered, MIN_TAIL, FAN_OUT);
  }

  /**
   * @param tiered the policy for forced merges and reclaiming deletions, and whose maximum merged
   *     segment size this one keeps
   * @param minTail fewest smaller segments a merge takes in
   * @param fanOut a segment takes in smaller ones once they hold 1 / fanOut of its documents
   */
  IntoLargestMergePolicy(TieredMergePolicy tiered, int minTail, int fanOut) {
    super(tiered);
    if (minTail < 1) {
      throw new IllegalArgumentException("minTail must be >= 1, got " + minTail);
    }
    if (fanOut < 1) {
      throw new IllegalArgumentException("fanOut must be >= 1, got " + fanOut);
    }
    this.minTail = minTail;
    this.fanOut = fanOut;
    this.maxMergedBytes = (long) (tiered.getMaxMergedSegmentMB() * 1024 * 1024);
  }

  @Override
  public MergeSpecification findMerges(
      MergeTrigger trigger, SegmentInfos infos, MergeContext context) throws IOException {
    Set<SegmentCommitInfo> merging = context.getMergingSegments();
    List<Sized> free = new ArrayList<>();
    for (SegmentCommitInfo info : infos) {
      if (!merging.contains(info)) {
        int live = info.info.maxDoc() - context.numDeletesToMerge(info);
        free.add(new Sized(info, live, size(info, context)));
      }
    }
    free.sort(Comparator.comparingLong(Sized::liveDocs).reversed());
    long[] smaller = new long[free.size() + 1]; // smaller[i]: live documents of free[i..]
    for (int i = free.size() - 1; i >= 0; i--) {
      smaller[i] = smaller[i + 1] + free.get(i).liveDocs();
    }
    for (int i = 0; i + minTail < free.size(); i++) {
      Sized base = free.get(i);
      if (base.bytes() <= maxMergedBytes && smaller[i + 1] * fanOut >= base.liveDocs()) {
        List<SegmentCommitInfo> merged = new ArrayList<>();
        free.subList(i, free.size()).forEach(s -> merged.add(s.info()));
        MergeSpecification spec = new MergeSpecification();
        spec.add(new MergePolicy.OneMerge(merged));
        return spec;
      }
    }
    return null;
  }

  private record Sized(SegmentCommitInfo info, long liveDocs, long bytes) {}
}
