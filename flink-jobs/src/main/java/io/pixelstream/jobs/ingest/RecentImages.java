package io.pixelstream.jobs.ingest;

import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The last {@code capacity} images one duplicate lookup saw, compared by brute force: the images
 * the index cannot show yet (written, not yet published), so that two copies arriving together are
 * still found.
 */
final class RecentImages {

  /** The best match: an image id and its score. */
  record Best(String id, float score) {}

  private final String[] ids;
  private final float[][] vectors;
  private int next;
  private int size;

  RecentImages(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    ids = new String[capacity];
    vectors = new float[capacity][];
  }

  void add(String id, float[] vector) {
    ids[next] = id;
    vectors[next] = vector;
    next = (next + 1) % ids.length;
    size = Math.min(size + 1, ids.length);
  }

  void clear() {
    size = 0;
    next = 0;
  }

  /** The best-scoring image other than {@code id} itself, or null when none is held. */
  Best best(String id, float[] vector, VectorSimilarityFunction similarity) {
    Best best = null;
    for (int i = 0; i < size; i++) {
      if (ids[i].equals(id)) {
        continue;
      }
      float score = similarity.compare(vector, vectors[i]);
      if (best == null || score > best.score()) {
        best = new Best(ids[i], score);
      }
    }
    return best;
  }
}
