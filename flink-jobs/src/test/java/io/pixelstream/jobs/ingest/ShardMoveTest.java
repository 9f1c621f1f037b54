package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.backend.VersionCopy;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ServingAlias;
import io.pixelstream.core.index.ShardBackfill;
import io.pixelstream.core.index.ShardWriter;
import io.pixelstream.core.index.ShardedIndexWriter;
import io.pixelstream.core.search.LuceneIndexBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving each shard to a promoted version, switching the alias once all caught up, retention. */
class ShardMoveTest {

  private static final VersionCopy.Reembedder TO_V2 =
      images -> {
        List<IndexedImage> out = new ArrayList<>();
        for (IndexedImage s : images) {
          out.add(
              new IndexedImage(
                  s.id(),
                  new float[] {2, 2},
                  0,
                  s.label(),
                  s.source(),
                  "v2",
                  1L,
                  s.eventTime(),
                  s.image()));
        }
        return out;
      };

  private static void writeV1(Path root, int images) throws IOException {
    try (ShardedIndexWriter w =
        ShardedIndexWriter.open(root, "v1", 2, VectorSimilarityFunction.EUCLIDEAN)) {
      for (int i = 0; i < images; i++) {
        w.upsert(
            new IndexedImage(
                "i" + i, new float[] {i, 0}, 0, null, null, "v1", 1L, 1L, new byte[] {1}));
      }
      w.commit();
    }
  }

  /** Runs shard {@code n}'s move to the end and commits it as the sink writer does. */
  private static boolean moveShard(Path root, int n, String deleted) throws IOException {
    IndexBackend backend = new LuceneIndexBackend(root);
    IndexBackend.Served served = backend.served().orElseThrow();
    ShardSink source = backend.openShard("v1", n, 2, "EUCLIDEAN", 4); // closed by the move
    try (ShardSink target = backend.openShard("v2", n, 2, "EUCLIDEAN", 4)) {
      ShardMove move = ShardMove.begin(backend, n, 2, served, "v2", source, target, TO_V2);
      if (deleted != null) {
        target.delete(deleted);
        move.deleted(deleted);
      }
      while (!move.backfillDone()) {
        move.step(3);
      }
      assertThat(move.doneCommitted()).isFalse();
      Map<String, String> data = new HashMap<>(move.commitSource(System.currentTimeMillis()));
      data.put(IndexFields.COMMIT_SHARDS, "2"); // as the sink writer records with every commit
      target.commit(data);
      move.afterCommit();
      assertThat(move.doneCommitted()).isTrue();
      boolean switched = move.trySwitch();
      move.close();
      return switched;
    }
  }

  @Test
  void theAliasMovesOnceEveryShardCommittedItsBackfillAndOldVersionsGo(@TempDir Path root)
      throws Exception {
    writeV1(root, 20);
    new ServingAlias(root).switchTo("v1");
    String gone = "i" + 7;
    int shardOfGone = IndexLayout.shardFor(gone, 2);

    assertThat(moveShard(root, 1 - shardOfGone, null)).isFalse(); // the other shard is not done
    assertThat(new ServingAlias(root).read().orElseThrow().version()).isEqualTo("v1");
    // the served shard still answers, without the id the stream deleted during the move
    assertThat(moveShard(root, shardOfGone, gone)).isTrue();
    assertThat(new ServingAlias(root).read().orElseThrow().version()).isEqualTo("v2");

    IndexLayout layout = new IndexLayout(root);
    long v2 = 0;
    for (Path shard : layout.shardDirs("v2")) {
      Map<String, String> data = ShardWriter.lastCommitData(shard);
      assertThat(ShardBackfill.finished(data, "v1", 0)).isTrue(); // serving period 0
      try (var reader =
          org.apache.lucene.index.DirectoryReader.open(
              org.apache.lucene.store.FSDirectory.open(shard))) {
        v2 += reader.numDocs();
      }
    }
    assertThat(v2).isEqualTo(19);
    try (CommittedIndex v1 = new CommittedIndex(root, "v1")) {
      assertThat(v1.documentsById()).hasSize(19).doesNotContainKey(gone); // served: deleted at once
    }
    // after the move, keeping no earlier version leaves only v2
    assertThat(new LuceneIndexBackend(root).retain(0)).containsExactly("v1");
    assertThat(layout.shardDirs("v1")).isEmpty();
    assertThat(layout.shardDirs("v2")).hasSize(2);
  }
}
