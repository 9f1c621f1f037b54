package io.pixelstream.bench;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.LuceneClasses;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.util.Bits;

/**
 * Watches a model version's shards the way a searcher would (reopen on commit, every few ms) and
 * records, per id, when it first became visible and its Kafka timestamp: the raw data for
 * produce->searchable freshness and produce->commit throughput.
 */
final class VisibilityWatcher implements Runnable, AutoCloseable {

  /** When an id became visible and when it was produced, epoch ms. */
  record Seen(long visibleAt, long producedAt) {}

  private final Path indexRoot;
  private final String version;
  private final int shards;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private final Thread thread = new Thread(this, "visibility-watcher");

  VisibilityWatcher(Path indexRoot, String version, int shards) {
    LuceneClasses.initialize(); // its thread opens readers while the job's threads open writers
    this.indexRoot = indexRoot;
    this.version = version;
    this.shards = shards;
    thread.setDaemon(true);
    thread.start();
  }

  Map<String, Seen> seen() {
    return seen;
  }

  /** Waits until {@code n} ids with {@code prefix} are visible; returns when the last one was. */
  long awaitVisible(String prefix, int n, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      List<Seen> matching = select(prefix);
      if (matching.size() >= n) {
        return matching.stream().mapToLong(Seen::visibleAt).max().orElseThrow();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        "only " + select(prefix).size() + " of " + n + " '" + prefix + "' ids visible in time");
  }

  List<Seen> select(String prefix) {
    List<Seen> out = new ArrayList<>();
    seen.forEach(
        (id, s) -> {
          if (id.startsWith(prefix)) {
            out.add(s);
          }
        });
    return out;
  }

  @Override
  public void run() {
    Set<Object> scannedSegments = new HashSet<>();
    try (ShardReaders readers = new ShardReaders(indexRoot, version, shards)) {
      while (!stopped) {
        for (DirectoryReader opened : readers.refresh()) {
          scan(opened, scannedSegments);
        }
        Thread.sleep(5);
      }
    } catch (IOException e) {
      throw new IllegalStateException("watching " + indexRoot, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void scan(DirectoryReader reader, Set<Object> scanned) throws IOException {
    long now = System.currentTimeMillis();
    Map<String, Seen> batch = new HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      Object key = leaf.reader().getCoreCacheHelper().getKey();
      if (!scanned.add(key)) {
        continue; // a segment already scanned holds no new ids
      }
      Bits live = leaf.reader().getLiveDocs();
      var stored = leaf.reader().storedFields();
      Set<String> fields = Set.of(IndexFields.ID, IndexFields.EVENT_TIME);
      for (int d = 0; d < leaf.reader().maxDoc(); d++) {
        if (live != null && !live.get(d)) {
          continue;
        }
        var doc = stored.document(d, fields);
        batch.put(
            doc.get(IndexFields.ID),
            new Seen(now, doc.getField(IndexFields.EVENT_TIME).numericValue().longValue()));
      }
    }
    batch.forEach(seen::putIfAbsent);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5000);
  }
}
