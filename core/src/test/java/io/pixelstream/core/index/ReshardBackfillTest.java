package io.pixelstream.core.index;

import static io.pixelstream.core.index.ShardBackfillTest.FAKE_V2;
import static io.pixelstream.core.index.ShardBackfillTest.committed;
import static io.pixelstream.core.index.ShardBackfillTest.image;
import static io.pixelstream.core.index.ShardBackfillTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backfill into a version with another shard count: every served shard read, ids re-routed. */
class ReshardBackfillTest {

  private static final long EPOCH = 9L;
  private static final int IDS = 60;

  /** v1 with {@code IDS} ids routed to 2 shards, committed. */
  private static IndexLayout writeV1(Path root) throws IOException {
    IndexLayout layout = new IndexLayout(root);
    try (ShardedIndexWriter w =
        ShardedIndexWriter.open(
            root, "v1", 2, org.apache.lucene.index.VectorSimilarityFunction.EUCLIDEAN)) {
      for (int i = 0; i < IDS; i++) {
        w.upsert(image(String.format("i%02d", i), "v1", i));
      }
      w.commit();
    }
    return layout;
  }

  /** Backfills shard {@code n} of 3 of v2, in steps, deleting {@code deletes} on the way. */
  private static void backfill(IndexLayout layout, int n, List<String> deletes, boolean restart)
      throws IOException {
    try (ShardWriter target = open(layout.shardDir("v2", n))) {
      ShardBackfill b = start(layout, n, target);
      b.step(5);
      for (String id : deletes) {
        target.delete(id);
        b.deleted(id);
      }
      target.commit(b.commitData());
      b.afterCommit();
      if (restart) {
        b.close();
        b = start(layout, n, target);
      }
      while (!b.done()) {
        b.step(7);
      }
      target.commit(b.commitData());
      b.afterCommit();
      b.close();
    }
  }

  private static ShardBackfill start(IndexLayout layout, int n, ShardWriter target)
      throws IOException {
    return ShardBackfill.startOrResume(
        BackfillSource.allShards(layout.shardDirs("v1")),
        id -> IndexLayout.shardFor(id, 3) == n,
        target,
        "v1",
        EPOCH,
        FAKE_V2);
  }

  @Test
  void everyIdLandsOnceInTheShardItIsRoutedToAndDeletesStayDeleted(@TempDir Path root)
      throws Exception {
    IndexLayout layout = writeV1(root);
    Map<String, Integer> v1Before = docsPerShard(layout, "v1");
    List<String> deleted = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      List<String> mine = new ArrayList<>();
      for (int i = IDS - 1; i >= 0 && mine.size() < 2; i--) {
        String id = String.format("i%02d", i);
        if (IndexLayout.shardFor(id, 3) == n) {
          mine.add(id); // high ids: not yet visited when the stream deletes them
        }
      }
      deleted.addAll(mine);
      backfill(layout, n, mine, n == 1);
    }

    Map<String, Integer> shardOf = new TreeMap<>();
    for (int n = 0; n < 3; n++) {
      for (String id : committed(layout.shardDir("v2", n)).keySet()) {
        assertThat(shardOf.put(id, n)).as("id %s in two shards", id).isNull();
        assertThat(IndexLayout.shardFor(id, 3)).as("shard of %s", id).isEqualTo(n);
      }
    }
    assertThat(shardOf).hasSize(IDS - deleted.size());
    assertThat(shardOf.keySet()).doesNotContainAnyElementsOf(deleted);
    assertThat(layout.shardDirs("v1")).hasSize(2);
    assertThat(docsPerShard(layout, "v1")).isEqualTo(v1Before);
  }

  private static Map<String, Integer> docsPerShard(IndexLayout layout, String version)
      throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    for (Path dir : layout.shardDirs(version)) {
      out.put(dir.getFileName().toString(), committed(dir).size());
    }
    return out;
  }
}
