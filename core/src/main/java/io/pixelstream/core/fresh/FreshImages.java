package io.pixelstream.core.fresh;

import io.pixelstream.core.search.SearchResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The images embedded but not yet visible in the index, newest record per id, in arrival order.
 * {@link #accept} keeps a record unless one of the same id from a later offset of the same source
 * is held; {@link #evict} drops what the shards' visible commits hold, in time proportional to what
 * it drops. At most {@code maxImages} are kept and none longer than {@code maxAgeMillis} (oldest
 * arrivals go first): the index gets every image anyway, so dropping one only delays when it can be
 * found. Thread-safe.
 */
public final class FreshImages {

  private final int maxImages;
  private final long maxAgeMillis;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Held> byId = new LinkedHashMap<>();
  private long dropped;

  /**
   * The last view per version: searches between two changes share it (a stream changes what is held
   * every fetch, while searches come many times as often).
   */
  private final Map<String, View> views = new HashMap<>();

  private record Held(FreshImage image, long receivedAt) {}

  private record Source(int shard, String source) {}

  /**
   * Per shard and source, what arrived from it in offset order (Kafka keeps a partition's order); a
   * record replaced or dropped stays here until {@link #evict} passes it.
   */
  private final Map<Source, ArrayDeque<Held>> bySource = new HashMap<>();

  /** What a version's searches must know: the ids held, and the live images among them. */
  record View(Set<String> ids, List<FreshImage> live) {}

  public FreshImages(int maxImages, long maxAgeMillis) {
    this(maxImages, maxAgeMillis, System::currentTimeMillis);
  }

  FreshImages(int maxImages, long maxAgeMillis, LongSupplier clock) {
    if (maxImages < 1) {
      throw new IllegalArgumentException("maxImages must be >= 1, got " + maxImages);
    }
    if (maxAgeMillis < 1) {
      throw new IllegalArgumentException("maxAgeMillis must be >= 1, got " + maxAgeMillis);
    }
    this.maxImages = maxImages;
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
  }

  /** Holds {@code image} unless a later record of its id is held; false when it was not held. */
  public synchronized boolean accept(FreshImage image) {
    return hold(image);
  }

  /** {@link #accept}s each of {@code images} in order, as one change; returns how many it held. */
  public synchronized int acceptAll(List<FreshImage> images) {
    int n = 0;
    for (FreshImage image : images) {
      n += hold(image) ? 1 : 0;
    }
    return n;
  }

  private boolean hold(FreshImage image) {
    Held old = byId.get(image.id());
    if (old != null
        && old.image().source().equals(image.source())
        && old.image().offset() >= image.offset()) {
      return false;
    }
    long now = clock.getAsLong();
    Held held = new Held(image, now);
    byId.remove(image.id());
    byId.put(image.id(), held);
    ArrayDeque<Held> queue =
        bySource.computeIfAbsent(
            new Source(image.shard(), image.source()), s -> new ArrayDeque<>());
    if (!queue.isEmpty() && queue.peekLast().image().offset() > image.offset()) {
      // a source read again from an earlier offset (a new consumer): start its order over
      queue.removeIf(h -> byId.get(h.image().id()) != h);
    }
    queue.addLast(held);
    views.clear();
    while (!queue.isEmpty() && byId.get(queue.peekFirst().image().id()) != queue.peekFirst()) {
      queue.pollFirst(); // replaced or dropped
    }
    dropOldest(now);
    return true;
  }

  /**
   * Drops the records that the shards' visible commits hold: per shard and source, those at or
   * below the commit's offset, whatever their version (a version's shards advance only while it is
   * written to, and an image dropped early is found once its own shard publishes it).
   *
   * @param visible per shard number, the offset per {@code topic-partition} its visible commit
   *     holds
   * @return how many were dropped
   */
  public synchronized int evict(Map<Integer, Map<String, Long>> visible) {
    int n = 0;
    for (Map.Entry<Integer, Map<String, Long>> shard : visible.entrySet()) {
      for (Map.Entry<String, Long> at : shard.getValue().entrySet()) {
        ArrayDeque<Held> queue = bySource.get(new Source(shard.getKey(), at.getKey()));
        while (queue != null
            && !queue.isEmpty()
            && queue.peekFirst().image().offset() <= at.getValue()) {
          Held h = queue.pollFirst();
          if (byId.remove(h.image().id(), h)) {
            views.clear();
            n++;
          }
        }
      }
    }
    dropOldest(clock.getAsLong());
    return n;
  }

  /** Drops the oldest arrivals while more than {@code maxImages} or older than the limit. */
  private void dropOldest(long now) {
    for (Iterator<Held> oldest = byId.values().iterator(); oldest.hasNext(); ) {
      Held h = oldest.next();
      if (byId.size() <= maxImages && now - h.receivedAt() <= maxAgeMillis) {
        return;
      }
      oldest.remove();
      views.clear();
      dropped++;
    }
  }

  /** The record held for {@code id} that counts for {@code version}, if any. */
  public synchronized Optional<FreshImage> get(String version, String id) {
    Held h = byId.get(id);
    return h == null || !h.image().appliesTo(version) ? Optional.empty() : Optional.of(h.image());
  }

  /** Records held now. */
  public synchronized int size() {
    return byId.size();
  }

  /** Records dropped for room or age before the index held them. */
  public synchronized long dropped() {
    return dropped;
  }

  synchronized View view(String version) {
    return views.computeIfAbsent(version, this::collect);
  }

  private View collect(String version) {
    Set<String> ids = new HashSet<>();
    List<FreshImage> live = new ArrayList<>();
    for (Held h : byId.values()) {
      FreshImage f = h.image();
      if (f.appliesTo(version)) {
        ids.add(f.id());
        if (!f.deleted()) {
          live.add(f);
        }
      }
    }
    return new View(Collections.unmodifiableSet(ids), Collections.unmodifiableList(live));
  }

  /**
   * The best {@code k} of {@code images} by {@code similarity} (Lucene's scores, so they rank
   * beside the index's hits), after the filters.
   */
  static List<SearchResult.Hit> search(
      List<FreshImage> images,
      float[] query,
      int k,
      Integer cluster,
      Integer label,
      boolean excludeDuplicates,
      VectorSimilarityFunction similarity) {
    PriorityQueue<SearchResult.Hit> best = new PriorityQueue<>(k + 1, FreshImages::worstFirst);
    for (FreshImage f : images) {
      if ((cluster != null && f.cluster() != cluster)
          || (label != null && !label.equals(f.label()))
          || (excludeDuplicates && f.duplicateOf() != null)
          || f.vector().length != query.length) {
        continue;
      }
      float score = similarity.compare(query, f.vector());
      if (best.size() == k && score < best.peek().score()) {
        continue; // below the k-th best: no hit to allocate
      }
      best.add(new SearchResult.Hit(f.id(), score, f.cluster(), f.label()));
      if (best.size() > k) {
        best.poll();
      }
    }
    List<SearchResult.Hit> out = new ArrayList<>(best);
    out.sort(FreshImages::bestFirst);
    return out;
  }

  /** Higher score first, then id. */
  static int bestFirst(SearchResult.Hit a, SearchResult.Hit b) {
    return a.score() != b.score() ? Float.compare(b.score(), a.score()) : a.id().compareTo(b.id());
  }

  private static int worstFirst(SearchResult.Hit a, SearchResult.Hit b) {
    return bestFirst(b, a);
  }
}
