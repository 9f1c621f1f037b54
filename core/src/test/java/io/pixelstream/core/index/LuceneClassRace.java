package io.pixelstream.core.index;

import io.pixelstream.core.search.LiveIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * A fresh JVM's first Lucene use from two threads at once, as the local stack does it: one opens a
 * shard writer (the job), the other a live index (the query API). Exits 0 when both finished. Run
 * by {@link LuceneClassInitTest} in a child JVM, where no Lucene class is initialised yet.
 */
public final class LuceneClassRace {

  private LuceneClassRace() {}

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("lucene-race");
    // load (not initialise) what both paths need, so that the two threads reach the class
    // initialisations at about the same time
    for (String name :
        new String[] {
          "org.apache.lucene.index.IndexWriter",
          "org.apache.lucene.index.IndexWriterConfig",
          "org.apache.lucene.index.LiveIndexWriterConfig",
          "org.apache.lucene.index.ConcurrentMergeScheduler",
          "org.apache.lucene.index.MultiReader",
          "org.apache.lucene.index.BaseCompositeReader",
          "org.apache.lucene.internal.tests.TestSecrets",
          "org.apache.lucene.store.FSDirectory",
          "io.pixelstream.core.index.ShardWriter",
          "io.pixelstream.core.search.LiveIndex"
        }) {
      Class.forName(name, false, LuceneClassRace.class.getClassLoader());
    }
    Files.createDirectories(root.resolve("w"));
    CountDownLatch go = new CountDownLatch(1);
    Thread writer =
        new Thread(
            () -> {
              try {
                go.await();
                ShardWriter.open(
                        root.resolve("w"),
                        VectorSimilarityFunction.EUCLIDEAN,
                        HnswOptions.DEFAULT,
                        16,
                        0)
                    .close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread reader =
        new Thread(
            () -> {
              try {
                go.await();
                LiveIndex.open(root.resolve("r"), "v1").close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    reader.start();
    go.countDown();
    writer.join();
    reader.join();
    System.out.println("both finished");
  }
}
