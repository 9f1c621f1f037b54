package io.pixelstream.solr;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.backend.VersionCopy;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * One writer's copy of the served collection into a new version's collection: pages through the
 * served collection by id with a cursor, takes the ids the job routes to this writer ({@link
 * IndexLayout#shardFor}), skips those the stream wrote or deleted meanwhile (in memory since this
 * run started, and, for earlier runs, what a real-time get finds in the target already), re-embeds
 * the rest from their stored bytes and upserts them into the target. The stream's deletes also go
 * to the served collection, so the cursor never meets them again. Its state (cursor, copied count,
 * done) is a property of the alias, {@code copy.<version>.<writer>}, written after each commit: a
 * restart resumes from the last committed cursor.
 */
final class SolrVersionCopy implements VersionCopy {

  private final SolrIndexBackend backend;
  private final IndexBackend.Served from;
  private final String fromCollection;
  private final String toCollection;
  private final int shard;
  private final int shards;
  private final ShardSink target;
  private final ShardSink source;
  private final boolean ownsSource;
  private final Reembedder reembedder;
  private final Set<String> touched = new HashSet<>();
  private final long total;
  private String cursor;
  private long copied;
  private long failed;
  private boolean done;

  SolrVersionCopy(
      SolrIndexBackend backend,
      IndexBackend.Served from,
      String toVersion,
      int shard,
      int shards,
      ShardSink target,
      ShardSink ownSource,
      Reembedder reembedder)
      throws IOException {
    this.backend = backend;
    this.from = from;
    this.fromCollection = backend.settings().collection(from.version());
    this.toCollection = backend.settings().collection(toVersion);
    this.shard = shard;
    this.shards = shards;
    this.target = target;
    this.ownsSource = ownSource == null;
    this.source =
        ownSource != null
            ? ownSource
            : new SolrShardSink(backend, from.version(), "writer " + shard + " (served)");
    this.reembedder = reembedder;
    Optional<CopyState> resumed =
        CopyState.parse(backend.aliasProperty(CopyState.key(toVersion, shard)))
            .filter(
                s -> s.fromVersion().equals(from.version()) && s.generation() == from.generation());
    this.cursor = resumed.map(CopyState::cursor).orElse(CursorMarkParams.CURSOR_MARK_START);
    this.copied = resumed.map(CopyState::copied).orElse(0L);
    this.done = resumed.map(CopyState::done).orElse(false);
    this.total = backend.open(from.version()).snapshot().documents();
    if (resumed.isEmpty()) {
      clearOwnIds();
    }
  }

  /**
   * Deletes this writer's ids from the target, which still holds what an earlier serving period
   * left there (a rollback to a version served before): the copy must not skip them as if the
   * stream had written them. Nothing to do in a new version's empty collection.
   */
  private void clearOwnIds() throws IOException {
    if (backend.open(backend.settings().versionOf(toCollection)).snapshot().documents() == 0) {
      return;
    }
    SolrCursor.scan(
        backend,
        toCollection,
        IndexFields.ID,
        1000,
        doc -> {
          String id = (String) doc.getFirstValue(IndexFields.ID);
          if (IndexLayout.shardFor(id, shards) == shard) {
            target.delete(id);
          }
          return true;
        });
    target.publish(target.commitData()); // before the copy looks the target's ids up
  }

  @Override
  public void touched(String id) {
    touched.add(id);
  }

  @Override
  public void deleted(String id) {
    touched.add(id);
    try {
      source.delete(id);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public int step(int max) throws IOException {
    if (done) {
      return 0;
    }
    QueryResponse page = SolrCursor.page(backend, fromCollection, null, max, cursor);
    List<IndexedImage> wanted = new ArrayList<>();
    for (SolrDocument doc : page.getResults()) {
      String id = (String) doc.getFirstValue(IndexFields.ID);
      if (IndexLayout.shardFor(id, shards) == shard && !touched.contains(id)) {
        wanted.add(SolrDocuments.image(doc));
      }
    }
    Set<String> present = inTarget(wanted);
    wanted.removeIf(image -> present.contains(image.id()));
    if (!wanted.isEmpty()) {
      List<IndexedImage> next = reembedder.reembed(wanted);
      for (IndexedImage image : next) {
        if (image == null) {
          failed++;
        } else {
          target.upsert(image);
          copied++;
        }
      }
    }
    String nextCursor = page.getNextCursorMark();
    done = nextCursor.equals(cursor);
    cursor = nextCursor;
    return page.getResults().size();
  }

  /** Those of {@code images} the target holds already (the stream sent them in an earlier run). */
  private Set<String> inTarget(List<IndexedImage> images) throws IOException {
    Set<String> present = new HashSet<>();
    if (images.isEmpty() || !backend.exists(toCollection)) {
      return present;
    }
    List<String> ids = images.stream().map(IndexedImage::id).toList();
    ModifiableSolrParams fl = new ModifiableSolrParams();
    fl.set("fl", IndexFields.ID);
    for (SolrDocument doc :
        SolrRetry.until(
            "look up " + ids.size() + " ids in " + toCollection,
            () -> backend.client().getById(toCollection, ids, fl))) {
      present.add((String) doc.getFirstValue(IndexFields.ID));
    }
    return present;
  }

  @Override
  public void afterCommit() throws IOException {
    source.commit(source.commitData());
    backend.setAliasProperty(
        CopyState.key(backend.settings().versionOf(toCollection), shard),
        new CopyState(from.version(), from.generation(), cursor, copied, done).format());
  }

  @Override
  public Map<String, String> commitData() {
    return Map.of();
  }

  @Override
  public boolean done() {
    return done;
  }

  @Override
  public long copied() {
    return copied;
  }

  @Override
  public long failed() {
    return failed;
  }

  @Override
  public long total() {
    return total;
  }

  @Override
  public void close() throws IOException {
    if (ownsSource) {
      source.close();
    }
  }
}
