package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.backend.VersionCopy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardBackfillTest {

  private static final long EPOCH = 1234L;

  /** Stands in for the new model: the vector is the first image byte, the version "v2". */
  static final VersionCopy.Reembedder FAKE_V2 =
      images -> {
        List<IndexedImage> out = new ArrayList<>();
        for (IndexedImage s : images) {
          out.add(
              s.image()[0] < 0
                  ? null
                  : new IndexedImage(
                      s.id(),
                      new float[] {s.image()[0], 0},
                      1,
                      s.label(),
                      s.source(),
                      "v2",
                      5L,
                      s.eventTime(),
                      s.image()));
        }
        return out;
      };

  static IndexedImage image(String id, String version, int pixel) {
    return new IndexedImage(
        id, new float[] {-pixel, 7}, 0, pixel % 3, null, version, 1L, 100L + pixel, bytes(pixel));
  }

  private static byte[] bytes(int pixel) {
    return new byte[] {(byte) pixel, 9};
  }

  static ShardWriter open(Path dir) throws IOException {
    return ShardWriter.open(dir, VectorSimilarityFunction.EUCLIDEAN, HnswOptions.DEFAULT, 16, 0);
  }

  /** The source shard v1 with ids i00..i{n-1}, committed. */
  private static void writeSource(Path dir, int n) throws IOException {
    try (ShardWriter w = open(dir)) {
      for (int i = 0; i < n; i++) {
        w.upsert(image(String.format("i%02d", i), "v1", i));
      }
      w.commit(Map.of());
    }
  }

  /** The live documents of a shard's last commit, by id. */
  static Map<String, IndexedImage> committed(Path dir) throws IOException {
    Map<String, IndexedImage> out = new TreeMap<>();
    try (var d = FSDirectory.open(dir);
        DirectoryReader r = DirectoryReader.open(d)) {
      Bits live = org.apache.lucene.index.MultiBits.getLiveDocs(r);
      for (int doc = 0; doc < r.maxDoc(); doc++) {
        if (live == null || live.get(doc)) {
          IndexedImage img = ImageDocuments.fromStored(r.storedFields().document(doc), null);
          out.put(img.id(), img);
        }
      }
    }
    return out;
  }

  private static void commitBoth(ShardWriter source, ShardWriter target, ShardBackfill b)
      throws IOException {
    source.commit(source.commitData());
    target.commit(b.commitData());
    b.afterCommit();
  }

  @Test
  void copiesEverySourceImageReembedded(@TempDir Path tmp) throws Exception {
    writeSource(tmp.resolve("v1"), 25);
    try (ShardWriter source = open(tmp.resolve("v1"));
        ShardWriter target = open(tmp.resolve("v2"))) {
      ShardBackfill b = ShardBackfill.startOrResume(source, target, "v1", EPOCH, FAKE_V2);
      assertThat(b.total()).isEqualTo(25);
      int visited = 0;
      int steps = 0;
      while (!b.done()) {
        visited += b.step(7);
        steps++;
      }
      assertThat(visited).isEqualTo(25);
      assertThat(steps).isEqualTo(4);
      assertThat(b.copied()).isEqualTo(25);
      commitBoth(source, target, b);
      b.close();
    }
    Map<String, IndexedImage> v2 = committed(tmp.resolve("v2"));
    assertThat(v2).hasSize(25);
    IndexedImage i13 = v2.get("i13");
    assertThat(i13.modelVersion()).isEqualTo("v2");
    assertThat(i13.eventTime()).isEqualTo(113L);
    assertThat(i13.label()).isEqualTo(13 % 3);
    assertThat(i13.image()).containsExactly(bytes(13));
    Map<String, String> data = ShardWriter.lastCommitData(tmp.resolve("v2"));
    assertThat(ShardBackfill.finished(data, "v1", EPOCH)).isTrue();
    assertThat(ShardBackfill.finished(data, "v1", EPOCH + 1)).isFalse();
  }

  @Test
  void theStreamHasTheLastWordOnIdsItTouches(@TempDir Path tmp) throws Exception {
    writeSource(tmp.resolve("v1"), 20);
    try (ShardWriter source = open(tmp.resolve("v1"));
        ShardWriter target = open(tmp.resolve("v2"))) {
      ShardBackfill b = ShardBackfill.startOrResume(source, target, "v1", EPOCH, FAKE_V2);
      b.step(5); // i00..i04 copied
      // the stream, now writing v2: a new image for i10, a new id, deletes of i02 and i15
      target.upsert(image("i10", "v2", 77));
      b.touched("i10");
      target.upsert(image("new", "v2", 50));
      b.touched("new");
      for (String id : List.of("i02", "i15")) {
        source.delete(id);
        target.delete(id);
        b.touched(id);
      }
      b.step(8); // i05..i12 visited before any commit: i10 is skipped as touched
      commitBoth(source, target, b);
      // after the commit the source no longer offers i15, and the target's commit holds i10
      target.upsert(image("i11", "v2", 88));
      b.touched("i11");
      while (!b.done()) {
        b.step(4);
      }
      commitBoth(source, target, b);
      b.close();
    }
    Map<String, IndexedImage> v2 = committed(tmp.resolve("v2"));
    assertThat(v2.keySet()).doesNotContain("i02", "i15").contains("new").hasSize(19);
    assertThat(v2.get("i10").image()).containsExactly(bytes(77)); // the stream's, not a copy
    assertThat(v2.get("i11").image()).containsExactly(bytes(88));
    assertThat(v2.get("i12").image()).containsExactly(bytes(12)); // re-embedded copy
    assertThat(v2.get("i12").ingestTime()).isEqualTo(5L);
  }

  @Test
  void aRestartResumesFromTheCommittedCursor(@TempDir Path tmp) throws Exception {
    writeSource(tmp.resolve("v1"), 30);
    try (ShardWriter source = open(tmp.resolve("v1"));
        ShardWriter target = open(tmp.resolve("v2"))) {
      ShardBackfill b = ShardBackfill.startOrResume(source, target, "v1", EPOCH, FAKE_V2);
      b.step(10);
      commitBoth(source, target, b);
      b.step(10); // lost: the process dies before the next commit
      b.close();
    }
    assertThat(committed(tmp.resolve("v2"))).hasSize(10);
    try (ShardWriter source = open(tmp.resolve("v1"));
        ShardWriter target = open(tmp.resolve("v2"))) {
      ShardBackfill b = ShardBackfill.startOrResume(source, target, "v1", EPOCH, FAKE_V2);
      assertThat(b.copied()).isEqualTo(10);
      assertThat(b.step(100)).isEqualTo(20);
      assertThat(b.done()).isTrue();
      commitBoth(source, target, b);
      assertThat(b.copied()).isEqualTo(30);
      b.close();
    }
    assertThat(committed(tmp.resolve("v2"))).hasSize(30).containsKey("i29");
  }

  @Test
  void anotherServingPeriodClearsWhatAnEarlierOneLeft(@TempDir Path tmp) throws Exception {
    writeSource(tmp.resolve("v1"), 6);
    try (ShardWriter target = open(tmp.resolve("v2"))) {
      target.upsert(image("stale", "v2", 3));
      target.commit(Map.of(ShardBackfill.FROM, "v1", ShardBackfill.EPOCH, "1"));
    }
    try (ShardWriter source = open(tmp.resolve("v1"));
        ShardWriter target = open(tmp.resolve("v2"))) {
      ShardBackfill b = ShardBackfill.startOrResume(source, target, "v1", EPOCH, FAKE_V2);
      while (!b.done()) {
        b.step(4);
      }
      commitBoth(source, target, b);
      b.close();
    }
    assertThat(committed(tmp.resolve("v2"))).doesNotContainKey("stale").hasSize(6);
  }

  @Test
  void imagesThatNoLongerDecodeAreCountedNotCopied(@TempDir Path tmp) throws Exception {
    try (ShardWriter w = open(tmp.resolve("v1"))) {
      w.upsert(image("good", "v1", 4));
      w.upsert(image("bad", "v1", -3)); // the fake refuses negative first bytes
      w.commit(Map.of());
    }
    try (ShardWriter source = open(tmp.resolve("v1"));
        ShardWriter target = open(tmp.resolve("v2"))) {
      ShardBackfill b = ShardBackfill.startOrResume(source, target, "v1", EPOCH, FAKE_V2);
      b.step(10);
      assertThat(b.done()).isTrue();
      assertThat(b.copied()).isEqualTo(1);
      assertThat(b.failed()).isEqualTo(1);
      b.close();
    }
  }

  @Test
  void anEmptySourceIsDoneAtOnce(@TempDir Path tmp) throws Exception {
    try (ShardWriter source = open(tmp.resolve("v1"));
        ShardWriter target = open(tmp.resolve("v2"))) {
      ShardBackfill b = ShardBackfill.startOrResume(source, target, "v1", EPOCH, FAKE_V2);
      assertThat(b.step(10)).isZero();
      assertThat(b.done()).isTrue();
      assertThat(b.total()).isZero();
      b.close();
    }
  }
}
