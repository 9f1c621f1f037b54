package io.pixelstream.core.index;

import io.pixelstream.core.backend.VersionCopy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Copies one shard of the served model version (the source) into the same shard of a new version
 * (the target), re-embedding each stored image with the new model, while the stream keeps writing
 * to the target. Ids are visited in sorted order from a cursor that is committed with the target,
 * so a restart resumes where the last commit left off.
 *
 * <p>The stream has the last word on any id it touches: an image the stream wrote to the target, or
 * a delete it applied, is never overwritten by the older copy from the source. The backfill reads
 * only committed states, so it skips an id when the target's last commit holds it or when the
 * stream touched it since that commit ({@link #touched}); deletes are applied to the source as well
 * ({@code source.delete}), so after the next commit the source no longer offers them. When the
 * source is read-only (another shard count, see {@link BackfillSource#allShards}), the deletes are
 * remembered instead ({@link #deleted}), in the target's commit data, until the backfill is done;
 * and only the ids routed to the target's shard ({@link IndexLayout#shardFor}) are copied.
 *
 * <p>Not thread-safe: call everything from the thread that writes the two shards, and {@link
 * #afterCommit} right after both were committed.
 */
public final class ShardBackfill implements VersionCopy {

  /** Commit user-data keys on the target. */
  public static final String FROM = "backfill.from";

  public static final String EPOCH = "backfill.epoch";
  public static final String CURSOR = "backfill.cursor";
  public static final String DONE = "backfill.done";
  public static final String COPIED = "backfill.copied";
  public static final String DELETED = "backfill.deleted";

  private final BackfillSource source;
  private final Predicate<String> owns;
  private final ShardWriter target;
  private final String from;
  private final long epoch;
  private final VersionCopy.Reembedder reembedder;
  private final Set<String> touched = new HashSet<>();
  private final Set<String> deleted = new TreeSet<>();
  private BackfillSource targetCommitted;
  private String cursor;
  private boolean done;
  private long copied;
  private long failed;
  private final long total;

  private ShardBackfill(
      BackfillSource source,
      Predicate<String> owns,
      ShardWriter target,
      String from,
      long epoch,
      VersionCopy.Reembedder reembedder,
      boolean resumed,
      Map<String, String> state)
      throws IOException {
    this.source = source;
    this.owns = owns;
    this.target = target;
    this.from = from;
    this.epoch = epoch;
    this.reembedder = reembedder;
    // A fresh start cleared the target, whose last commit then still shows what was cleared.
    this.targetCommitted = resumed ? BackfillSource.ownShard(target) : null;
    this.cursor = resumed ? state.get(CURSOR) : null;
    this.done = resumed && Boolean.parseBoolean(state.get(DONE));
    this.copied = resumed ? Long.parseLong(state.getOrDefault(COPIED, "0")) : 0;
    String wasDeleted = resumed ? state.getOrDefault(DELETED, "") : "";
    if (!wasDeleted.isEmpty()) {
      deleted.addAll(Arrays.asList(wasDeleted.split("\n")));
    }
    this.total = source.reader() == null ? 0 : source.reader().numDocs();
  }

  /**
   * Resumes the backfill recorded in the target's commit data when it is the one from {@code from}
   * in serving period {@code epoch}; otherwise starts one, clearing whatever an earlier period left
   * in the target.
   *
   * @param source the served version's shard (deletes keep being applied to it)
   * @param target the new version's shard, same shard number
   * @param from the served version's name
   * @param epoch the serving period the backfill belongs to ({@link ServingAlias.State#generation})
   */
  public static ShardBackfill startOrResume(
      ShardWriter source,
      ShardWriter target,
      String from,
      long epoch,
      VersionCopy.Reembedder reembedder)
      throws IOException {
    return startOrResume(
        BackfillSource.ownShard(source), id -> true, target, from, epoch, reembedder);
  }

  /**
   * {@link #startOrResume(ShardWriter, ShardWriter, String, long, VersionCopy.Reembedder)} from any
   * source: only the ids {@code owns} accepts are copied (those routed to the target's shard).
   *
   * @param source the served version's images; closed with this backfill
   */
  public static ShardBackfill startOrResume(
      BackfillSource source,
      Predicate<String> owns,
      ShardWriter target,
      String from,
      long epoch,
      VersionCopy.Reembedder reembedder)
      throws IOException {
    Map<String, String> state = target.commitData();
    boolean resumed = from.equals(state.get(FROM)) && Long.toString(epoch).equals(state.get(EPOCH));
    if (!resumed) {
      target.deleteAll();
    }
    return new ShardBackfill(source, owns, target, from, epoch, reembedder, resumed, state);
  }

  /** The stream wrote or deleted {@code id} in the target: the source's copy must not follow. */
  @Override
  public void touched(String id) {
    touched.add(id);
  }

  /**
   * The stream deleted {@code id} and the source still holds it (a read-only source): the copy must
   * never follow, also after the next commit and a restart.
   */
  @Override
  public void deleted(String id) {
    touched.add(id);
    deleted.add(id);
  }

  /**
   * Visits up to {@code max} source images after the cursor, re-embeds those the target should get
   * and upserts them.
   *
   * @return images visited (0 once done)
   */
  @Override
  public int step(int max) throws IOException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, got " + max);
    }
    if (done) {
      return 0;
    }
    IndexReader sourceReader = source.reader();
    if (sourceReader == null) {
      done = true;
      return 0;
    }
    Terms ids = MultiTerms.getTerms(sourceReader, IndexFields.ID);
    if (ids == null) {
      done = true;
      return 0;
    }
    Bits live = MultiBits.getLiveDocs(sourceReader);
    TermsEnum terms = ids.iterator();
    BytesRef term = seekAfter(terms, cursor);
    PostingsEnum postings = null;
    TargetIds inTarget = TargetIds.of(targetCommitted == null ? null : targetCommitted.reader());
    List<IndexedImage> batch = new ArrayList<>(max);
    int visited = 0;
    while (term != null && visited < max) {
      String id = term.utf8ToString();
      postings = terms.postings(postings, PostingsEnum.NONE);
      int doc = liveDoc(postings, live);
      if (doc != PostingsEnum.NO_MORE_DOCS) {
        visited++;
        if (owns.test(id)
            && !touched.contains(id)
            && !deleted.contains(id)
            && !inTarget.contains(term)) {
          batch.add(ImageDocuments.fromStored(sourceReader.storedFields().document(doc), null));
        }
      }
      cursor = id;
      term = terms.next();
    }
    if (term == null) {
      done = true;
    }
    if (!batch.isEmpty()) {
      List<IndexedImage> out = reembedder.reembed(batch);
      for (IndexedImage image : out) {
        if (image == null) {
          failed++;
        } else {
          target.upsert(image);
          copied++;
        }
      }
    }
    return visited;
  }

  /** Both shards were just committed: read their new commits and forget the touched ids. */
  @Override
  public void afterCommit() throws IOException {
    source.refresh();
    if (targetCommitted == null) {
      targetCommitted = BackfillSource.ownShard(target);
    } else {
      targetCommitted.refresh();
    }
    touched.clear();
  }

  /** The user data to commit with the target. */
  @Override
  public Map<String, String> commitData() {
    Map<String, String> data = new HashMap<>();
    data.put(FROM, from);
    data.put(EPOCH, Long.toString(epoch));
    data.put(CURSOR, cursor == null ? "" : cursor);
    data.put(DONE, Boolean.toString(done));
    data.put(COPIED, Long.toString(copied));
    data.put(DELETED, String.join("\n", deleted));
    return data;
  }

  /** True once every source image was visited. */
  @Override
  public boolean done() {
    return done;
  }

  /** Images copied into the target, over the whole backfill (across restarts). */
  @Override
  public long copied() {
    return copied;
  }

  /** Images whose stored bytes could not be re-embedded, since this run started. */
  @Override
  public long failed() {
    return failed;
  }

  /** Live images in the source when this run started. */
  @Override
  public long total() {
    return total;
  }

  public String from() {
    return from;
  }

  /** The serving period this backfill belongs to. */
  public long epoch() {
    return epoch;
  }

  /** True when {@code commitData} (a target shard's last commit) records a finished backfill. */
  public static boolean finished(Map<String, String> commitData, String from, long epoch) {
    return from.equals(commitData.get(FROM))
        && Long.toString(epoch).equals(commitData.get(EPOCH))
        && Boolean.parseBoolean(commitData.get(DONE));
  }

  /** Closes the source and the view of the target's commits (not the target). */
  @Override
  public void close() throws IOException {
    try {
      source.close();
    } finally {
      if (targetCommitted != null) {
        targetCommitted.close();
      }
    }
  }

  /** Live ids of the target's committed state, looked up with one terms enum per step. */
  private static final class TargetIds {
    private static final TargetIds NONE = new TargetIds(null, null);
    private final TermsEnum terms;
    private final Bits live;
    private PostingsEnum postings;

    private TargetIds(TermsEnum terms, Bits live) {
      this.terms = terms;
      this.live = live;
    }

    static TargetIds of(IndexReader reader) throws IOException {
      Terms ids = reader == null ? null : MultiTerms.getTerms(reader, IndexFields.ID);
      return ids == null ? NONE : new TargetIds(ids.iterator(), MultiBits.getLiveDocs(reader));
    }

    boolean contains(BytesRef id) throws IOException {
      if (terms == null || !terms.seekExact(id)) {
        return false;
      }
      postings = terms.postings(postings, PostingsEnum.NONE);
      return liveDoc(postings, live) != PostingsEnum.NO_MORE_DOCS;
    }
  }

  private static BytesRef seekAfter(TermsEnum terms, String cursor) throws IOException {
    if (cursor == null || cursor.isEmpty()) {
      return terms.next();
    }
    BytesRef at = new BytesRef(cursor);
    return switch (terms.seekCeil(at)) {
      case END -> null;
      case FOUND -> terms.next();
      case NOT_FOUND -> terms.term();
    };
  }

  private static int liveDoc(PostingsEnum postings, Bits live) throws IOException {
    for (int d = postings.nextDoc(); d != PostingsEnum.NO_MORE_DOCS; d = postings.nextDoc()) {
      if (live == null || live.get(d)) {
        return d;
      }
    }
    return PostingsEnum.NO_MORE_DOCS;
  }
}
