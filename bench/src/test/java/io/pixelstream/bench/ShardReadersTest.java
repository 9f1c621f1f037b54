package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.index.IndexLayout;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardReadersTest {

  @TempDir Path root;

  @Test
  void opensShardsOnceCommittedAndReopensOnlyTheOnesThatChanged() throws IOException {
    IndexLayout layout = new IndexLayout(root);
    try (ShardReaders readers = new ShardReaders(root, "v1", 2);
        IndexWriter shard0 = writer(layout.shardDir("v1", 0));
        IndexWriter shard1 = writer(layout.shardDir("v1", 1))) {
      assertThat(readers.refresh()).isEmpty();
      assertThat(readers.numDocs()).isZero();

      add(shard0, "a");
      shard0.commit();
      assertThat(readers.refresh()).hasSize(1);
      assertThat(readers.numDocs()).isEqualTo(1);
      assertThat(readers.refresh()).isEmpty();

      add(shard0, "b");
      add(shard1, "c");
      shard1.commit();
      assertThat(readers.refresh()).hasSize(1); // shard 0's new document is not committed
      assertThat(readers.numDocs()).isEqualTo(2);

      shard0.commit();
      assertThat(readers.refresh()).hasSize(1);
      assertThat(readers.numDocs()).isEqualTo(3);
    }
  }

  private static IndexWriter writer(Path dir) throws IOException {
    return new IndexWriter(FSDirectory.open(dir), new IndexWriterConfig());
  }

  private static void add(IndexWriter writer, String id) throws IOException {
    Document doc = new Document();
    doc.add(new StringField("id", id, Field.Store.YES));
    writer.addDocument(doc);
  }
}
