package io.pixelstream.core.index;

import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.io.MachineBoot;
import io.pixelstream.core.io.ThreadNiceness;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LiveIndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one shard: upserts by id, deletes by id, and commits with user data (the source position).
 * Nothing becomes visible before {@link #publish} or {@link #commit}: a publish is a commit without
 * fsyncs, visible to readers in every process at once and kept through a crash of this process; a
 * commit is also durable. {@link #close} discards what was neither, so after a crash the shard is
 * exactly its last commit (its last durable one after a restart of the machine, see {@link
 * DurableCommits}) and a replay from the source position it records restores the rest. One thread
 * writes; {@link #publish} may run on another meanwhile (Lucene's index writer takes writes during
 * a commit), and publishes and commits run one at a time.
 */
public final class ShardWriter implements ShardSink {

  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  static {
    LuceneClasses.initialize();
  }

  private final SyncSkippingDirectory directory;
  private final IndexWriter writer;
  private final VectorSimilarityFunction similarity;

  /** True when a publish made changes visible that no durable commit holds yet. */
  private volatile boolean published;

  private final DurableCommits commits;
  private final ShardMergeScheduler merges;

  private ShardWriter(
      SyncSkippingDirectory directory,
      IndexWriter writer,
      DurableCommits commits,
      ShardMergeScheduler merges,
      VectorSimilarityFunction similarity) {
    this.directory = directory;
    this.writer = writer;
    this.commits = commits;
    this.merges = merges;
    this.similarity = similarity;
  }

  /**
   * Nice value of merge threads unless a caller says otherwise (see {@link ShardMergeScheduler}).
   */
  public static final int DEFAULT_MERGE_NICE = ThreadNiceness.MAX_NICE;

  /**
   * Opens (or creates) the shard at {@code dir}.
   *
   * @param ramBufferMb the writer's RAM buffer: more buffers more documents before a flush
   * @param mergeNice the OS nice value (1-19) of the merge threads ({@link ShardMergeScheduler}),
   *     or 0 to merge at the priority of the rest of the process
   */
  public static ShardWriter open(
      Path dir,
      VectorSimilarityFunction similarity,
      HnswOptions hnsw,
      double ramBufferMb,
      int mergeNice)
      throws IOException {
    if (mergeNice < 0 || mergeNice > ThreadNiceness.MAX_NICE) {
      throw new IllegalArgumentException(
          "mergeNice must be in 0.." + ThreadNiceness.MAX_NICE + ", got " + mergeNice);
    }
    SyncSkippingDirectory directory = new SyncSkippingDirectory(FSDirectory.open(dir));
    try {
      DurableCommits.rollBackLost(directory, MachineBoot.id());
      DurableCommits commits = new DurableCommits();
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setCommitOnClose(false)
              .setRAMBufferSizeMB(ramBufferMb)
              // Lucene 9 merges small segments inside commit() and waits up to 500 ms for them;
              // a commit is what makes images visible, so merge after it, in the background
              .setMaxFullFlushMergeWaitMillis(0)
              .setIndexDeletionPolicy(commits)
              .setUseCompoundFile(false)
              .setMergePolicy(mergePolicy())
              .setCodec(codec(hnsw));
      ShardMergeScheduler merges = new ShardMergeScheduler(mergeNice, commits::newestSegments);
      config.setMergeScheduler(merges);
      return new ShardWriter(
          directory, new IndexWriter(directory, config), commits, merges, similarity);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * Lucene's tiered policy without compound files: packing a small segment's files into one
   * compound file wrote each file twice and deleted it once, which took most of a flush where
   * creating and deleting files is slow (23 of 40 ms seen per 100-image flush).
   */
  private static TieredMergePolicy mergePolicy() {
    TieredMergePolicy policy = new TieredMergePolicy();
    policy.setNoCFSRatio(0.0);
    return policy;
  }

  /**
   * The codec that writes the vector field with {@code hnsw}'s graph parameters and vector format.
   * Readers need no setting: each segment names the format it was written with.
   */
  public static Lucene912Codec codec(HnswOptions hnsw) {
    int m = hnsw.maxConn();
    int beam = hnsw.beamWidth();
    KnnVectorsFormat format =
        switch (hnsw.vectorFormat()) {
          case FLOAT32 -> new Lucene99HnswVectorsFormat(m, beam);
            // one merge worker (merges run on the shard's niced merge thread); Lucene picks the
            // confidence interval from the data
          case INT8 ->
              new Lucene99HnswScalarQuantizedVectorsFormat(m, beam, 1, 7, false, null, null);
          case INT4 ->
              new Lucene99HnswScalarQuantizedVectorsFormat(m, beam, 1, 4, true, null, null);
        };
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  /** The writer's settings, for tests. */
  LiveIndexWriterConfig writerConfig() {
    return writer.getConfig();
  }

  /** Adds {@code image}, replacing any document with the same id. */
  @Override
  public void upsert(IndexedImage image) throws IOException {
    writer.updateDocument(
        new Term(IndexFields.ID, image.id()), ImageDocuments.toDocument(image, similarity));
  }

  /** Deletes the document with {@code id}, if any. */
  @Override
  public void delete(String id) throws IOException {
    writer.deleteDocuments(new Term(IndexFields.ID, id));
  }

  /** Deletes every document (visible and durable after the next commit). */
  public void deleteAll() throws IOException {
    writer.deleteAll();
  }

  /**
   * A reader over the shard's last commit (not what is buffered since), or null when nothing was
   * ever committed. Reopen it with {@link DirectoryReader#openIfChanged(DirectoryReader)}.
   */
  public DirectoryReader openCommitted() throws IOException {
    return DirectoryReader.indexExists(directory) ? DirectoryReader.open(directory) : null;
  }

  /** Makes every change so far durable and visible, recording {@code userData} with the commit. */
  @Override
  public synchronized void commit(Map<String, String> userData) throws IOException {
    Map<String, String> data = withoutPublishMarks(userData);
    writer.setLiveCommitData(data.entrySet());
    writer.commit();
    published = false;
  }

  /**
   * Makes every change so far visible to readers, recording {@code userData}, without fsyncs: the
   * changes survive a crash of this process, and become durable with the next {@link #commit}.
   */
  @Override
  public synchronized void publish(Map<String, String> userData) throws IOException {
    Map<String, String> data = withoutPublishMarks(userData);
    data.put(IndexFields.COMMIT_DURABLE, "false");
    data.put(IndexFields.COMMIT_BOOT_ID, MachineBoot.id());
    published = true; // before the commit: a checkpoint meanwhile must not find nothing to sync
    writer.setLiveCommitData(data.entrySet());
    directory.skipSyncs(true);
    try {
      writer.commit();
    } finally {
      directory.skipSyncs(false);
    }
  }

  /** A copy of {@code userData} without the keys only {@link #publish} sets. */
  private static Map<String, String> withoutPublishMarks(Map<String, String> userData) {
    Map<String, String> data = new HashMap<>(userData);
    removePublishMarks(data);
    return data;
  }

  private static void removePublishMarks(Map<String, String> data) {
    data.remove(IndexFields.COMMIT_DURABLE);
    data.remove(IndexFields.COMMIT_BOOT_ID);
  }

  /** fsync calls of this writer's commits so far (files and directory). */
  @Override
  public long fsyncs() {
    return directory.syncs();
  }

  @Override
  public long mergeCpuNanos() {
    return merges.cpuNanos();
  }

  /** Segments in the shard as of the last publish or commit. */
  @Override
  public int segments() {
    return commits.newestSegments();
  }

  /**
   * Merges the shard down to at most {@code maxSegments} segments (one HNSW graph each, so fewer
   * segments mean fewer graph searches per query); visible and durable after the next commit.
   * Costly: meant for bulk loads, not for the streaming path.
   */
  public void forceMerge(int maxSegments) throws IOException {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be >= 1, got " + maxSegments);
    }
    writer.forceMerge(maxSegments);
  }

  /** Waits until no merge runs or is pending, including the merges that finished ones start. */
  public void awaitMerges() throws IOException {
    do {
      writer.maybeMerge();
      merges.sync();
    } while (writer.hasPendingMerges());
  }

  /** The user data the next commit carries unless replaced: the last commit's, when opened. */
  @Override
  public Map<String, String> commitData() {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) {
      live.forEach(e -> data.put(e.getKey(), e.getValue()));
    }
    removePublishMarks(data);
    return data;
  }

  /** True when changes were made (published or not) since the last durable commit. */
  @Override
  public boolean hasUncommittedChanges() {
    return published || writer.hasUncommittedChanges();
  }

  /** The user data of the shard's last commit, or an empty map when it has none. */
  public static Map<String, String> lastCommitData(Path dir) throws IOException {
    try (Directory d = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(d)) {
        return Map.of();
      }
      List<IndexCommit> commits = DirectoryReader.listCommits(d);
      return commits.get(commits.size() - 1).getUserData();
    }
  }

  /**
   * Closes the shard, discarding uncommitted changes. A shard whose write lock was lost is closed
   * without the rollback's file clean-up (the next open deletes unreferenced files): Lucene checks
   * the lock through an interruptible channel, so a thread interrupted mid-write (Flink cancelling
   * a task) closes it, and a close that threw then, inside Flink's cancellation, was fatal to the
   * whole task manager (seen once, under load, in ModelRefreshITCase). The same interrupt can come
   * while the rollback releases the lock at its end, which then finds the channel closed (and the
   * lock with it): seen once in WatchMatchITCase.
   */
  @Override
  public void close() throws IOException {
    try {
      writer.rollback();
    } catch (AlreadyClosedException | ClosedChannelException e) {
      LOG.warn("shard {} closed without rollback: {}", directory, e.toString());
    } finally {
      directory.close();
    }
  }
}
