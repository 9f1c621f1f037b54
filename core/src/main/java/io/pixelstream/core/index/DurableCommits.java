package io.pixelstream.core.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a shard's commits are durable. A published commit ({@link ShardWriter#publish}) is
 * written without fsyncs and marked {@link IndexFields#COMMIT_DURABLE} {@code false} with the
 * machine's boot id; every other commit is durable. As a deletion policy it keeps the newest commit
 * and the newest durable one, so that {@link #rollBackLost} can return a shard to its last durable
 * commit when a restart of the machine may have lost the published ones; the stream then replays
 * what came after from the source position that commit records.
 */
final class DurableCommits extends IndexDeletionPolicy {

  private static final Logger LOG = LoggerFactory.getLogger(DurableCommits.class);

  private volatile int newestSegments;

  @Override
  public void onInit(List<? extends IndexCommit> commits) throws IOException {
    onCommit(commits);
  }

  @Override
  public void onCommit(List<? extends IndexCommit> commits) throws IOException {
    if (commits.isEmpty()) {
      return; // a new index
    }
    IndexCommit newest = commits.get(commits.size() - 1);
    newestSegments = newest.getSegmentCount();
    IndexCommit durable = null;
    for (int i = commits.size() - 1; i >= 0 && durable == null; i--) {
      if (isDurable(commits.get(i).getUserData())) {
        durable = commits.get(i);
      }
    }
    for (IndexCommit c : commits) {
      if (c != newest && c != durable) {
        c.delete();
      }
    }
  }

  /** Segments in the newest commit the writer made or opened. */
  int newestSegments() {
    return newestSegments;
  }

  /** False only for a commit {@link ShardWriter#publish} made. */
  static boolean isDurable(Map<String, String> commitData) {
    return !"false".equals(commitData.get(IndexFields.COMMIT_DURABLE));
  }

  /**
   * Deletes the {@code segments_N} files of {@code dir}'s commits newer than its newest durable
   * one, unless the newest commit is durable or was published in boot {@code bootId} (the page
   * cache still holds its files). A commit that cannot be read counts as lost. IndexWriter then
   * opens the newest durable commit and deletes the files nothing references.
   *
   * @return the generations whose commits were dropped, newest first (empty: nothing was)
   */
  static List<Long> rollBackLost(Directory dir, String bootId) throws IOException {
    List<String> segments = new ArrayList<>();
    for (String name : dir.listAll()) {
      if (name.startsWith(IndexFileNames.SEGMENTS + "_")) {
        segments.add(name);
      }
    }
    segments.sort(
        (a, b) ->
            Long.compare(
                SegmentInfos.generationFromSegmentsFileName(b),
                SegmentInfos.generationFromSegmentsFileName(a)));
    List<Long> dropped = new ArrayList<>();
    for (String name : segments) {
      Map<String, String> data;
      try {
        data = SegmentInfos.readCommit(dir, name).getUserData();
      } catch (IOException e) {
        data = null; // torn or lost with the machine's page cache
      }
      if (data != null && isDurable(data)) {
        break;
      }
      boolean survivedCrash =
          data != null && !bootId.isEmpty() && bootId.equals(data.get(IndexFields.COMMIT_BOOT_ID));
      if (dropped.isEmpty() && survivedCrash) {
        return List.of(); // the newest commit is published in this boot: its files are intact
      }
      dir.deleteFile(name);
      dropped.add(SegmentInfos.generationFromSegmentsFileName(name));
    }
    if (!dropped.isEmpty()) {
      LOG.warn(
          "{}: dropped published commits {} written before the machine restarted; back to the"
              + " last durable commit, the stream replays the rest",
          dir,
          dropped);
    }
    return dropped;
  }
}
