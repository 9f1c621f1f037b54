package io.pixelstream.solr;

import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.index.IndexedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.request.UpdateRequest;

/**
 * One writer's stream of upserts and deletes into a version's collection. Writes are buffered in
 * order; {@link #publish} and {@link #commit} both send what is buffered and return once Solr
 * acknowledged it (its transaction log holds it on every live replica, so a crash of this process
 * loses nothing acknowledged), each update asking Solr to make it visible within {@code
 * commitWithinMs} (a soft commit). Consecutive upserts go in one request and consecutive deletes in
 * the next, so a delete still follows the upsert it came after. An unavailable Solr is retried
 * until it answers ({@link SolrRetry}). {@link #publish} may run on another thread than the writes;
 * sends are serialised in order.
 */
final class SolrShardSink implements ShardSink {

  private final SolrIndexBackend backend;
  private final String collection;
  private final String writer;

  private final Object bufferLock = new Object();
  private List<Op> buffer = new ArrayList<>();
  private final Object sendLock = new Object();
  private volatile boolean uncommitted;
  private volatile Map<String, String> data = new HashMap<>();

  /** An upsert (a document) or a delete (an id). */
  private record Op(IndexedImage image, String deleteId) {}

  /** A writer into {@code modelVersion}'s collection, which exists. */
  SolrShardSink(SolrIndexBackend backend, String modelVersion, String writer) {
    this.backend = backend;
    this.collection = backend.settings().collection(modelVersion);
    this.writer = writer;
  }

  /** The collection this sink writes. */
  String collection() {
    return collection;
  }

  @Override
  public void upsert(IndexedImage image) {
    synchronized (bufferLock) {
      buffer.add(new Op(image, null));
    }
  }

  @Override
  public void delete(String id) {
    synchronized (bufferLock) {
      buffer.add(new Op(null, id));
    }
  }

  @Override
  public void commit(Map<String, String> data) throws IOException {
    send();
    this.data = new HashMap<>(data);
    uncommitted = false;
  }

  @Override
  public void publish(Map<String, String> data) throws IOException {
    if (send()) {
      uncommitted = true;
    }
    this.data = new HashMap<>(data);
  }

  /** Sends what is buffered; true when there was something. */
  private boolean send() throws IOException {
    synchronized (sendLock) {
      List<Op> ops;
      synchronized (bufferLock) {
        ops = buffer;
        buffer = new ArrayList<>();
      }
      if (ops.isEmpty()) {
        return false;
      }
      int from = 0;
      while (from < ops.size()) {
        boolean deletes = ops.get(from).deleteId() != null;
        int to = from;
        UpdateRequest request = new UpdateRequest();
        while (to < ops.size() && (ops.get(to).deleteId() != null) == deletes) {
          Op op = ops.get(to++);
          if (deletes) {
            request.deleteById(op.deleteId());
          } else {
            request.add(SolrDocuments.of(op.image()));
          }
        }
        request.setCommitWithin((int) backend.settings().commitWithinMs());
        int count = to - from;
        SolrRetry.until(
            writer
                + ": send "
                + count
                + (deletes ? " deletes" : " documents")
                + " to "
                + collection,
            () -> request.process(backend.client(), collection));
        from = to;
      }
      return true;
    }
  }

  @Override
  public Map<String, String> commitData() {
    return new HashMap<>(data);
  }

  @Override
  public boolean hasUncommittedChanges() {
    synchronized (bufferLock) {
      return uncommitted || !buffer.isEmpty();
    }
  }

  /** Solr's segments are its own: not known here. */
  @Override
  public int segments() {
    return -1;
  }

  /** Solr fsyncs on its own nodes: not known here. */
  @Override
  public long fsyncs() {
    return -1;
  }

  /** Discards what was not sent; the backend's client stays open for its owner to close. */
  @Override
  public void close() {
    synchronized (bufferLock) {
      buffer = new ArrayList<>();
    }
  }
}
