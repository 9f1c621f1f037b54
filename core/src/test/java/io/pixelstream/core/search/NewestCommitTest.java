package io.pixelstream.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.index.IndexLayout;
import io.pixelstream.core.index.ShardWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewestCommitTest {

  /** Shard 0 of version v1 under {@code root}, with one document committed. */
  private static ShardWriter shardWithOneCommit(Path root) throws Exception {
    ShardWriter w = LiveIndexTest.shard(root, "v1", 0);
    try {
      w.upsert(LiveIndexTest.image("a", 1, 0, "v1"));
      w.commit(Map.of());
      return w;
    } catch (Exception e) {
      w.close();
      throw e;
    }
  }

  @Test
  void reopensOnTheNewestCommitOnlyWhenThereIsOne(@TempDir Path root) throws Exception {
    try (ShardWriter w = shardWithOneCommit(root);
        Directory d = FSDirectory.open(new IndexLayout(root).shardDir("v1", 0));
        DirectoryReader first = DirectoryReader.open(d)) {
      assertThat(NewestCommit.reopen(first)).as("nothing new").isNull();

      w.upsert(LiveIndexTest.image("b", 2, 0, "v1"));
      w.publish(Map.of());
      w.upsert(LiveIndexTest.image("c", 3, 0, "v1"));
      w.commit(Map.of());
      try (DirectoryReader next = NewestCommit.reopen(first)) {
        assertThat(next).isNotNull();
        assertThat(next.numDocs()).isEqualTo(3);
        assertThat(next.getIndexCommit().getGeneration())
            .isEqualTo(first.getIndexCommit().getGeneration() + 2);
        assertThat(NewestCommit.reopen(next)).as("read the newest already").isNull();
      }
    }
  }

  @Test
  void aCommitReplacedWhileItIsReadGivesTheNewestInstead(@TempDir Path root) throws Exception {
    try (ShardWriter w = shardWithOneCommit(root);
        Directory d = FSDirectory.open(new IndexLayout(root).shardDir("v1", 0));
        DirectoryReader first = DirectoryReader.open(d)) {
      w.upsert(LiveIndexTest.image("b", 2, 0, "v1"));
      w.commit(Map.of());
      long listed = first.getIndexCommit().getGeneration() + 1;
      for (int i = 0; i < 3; i++) {
        w.upsert(LiveIndexTest.image("c" + i, 3 + i, 0, "v1"));
        w.commit(Map.of()); // only the newest durable commit is kept: "listed" is deleted
      }
      try (DirectoryReader next = NewestCommit.reopen(first, listed)) {
        assertThat(next.numDocs()).isEqualTo(5);
      }
    }
  }
}
