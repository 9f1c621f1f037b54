package io.pixelstream.core.watch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The watches of a stream and the matching of new images against them. Each image is matched with
 * the watches embedded by the model version that embedded it: the first image of another version
 * re-embeds every watch (and starts the top-N watches afresh: scores of two models do not compare).
 * A watch whose image the version cannot embed is left out of matching for that version and
 * reported by {@link #unusable}. Not thread-safe: one stream task owns it.
 *
 * <pre>{@code
 * StandingWatches watches = new StandingWatches(models);
 * watches.put(watch);                        // from the watches topic
 * for (Match m : watches.match(vector, version)) { ... emit a match event ... }
 * }</pre>
 */
public final class StandingWatches {

  /** What the stream's models provide: their similarity, and watch images embedded. */
  public interface Models {
    /** The index similarity of {@code version}: EUCLIDEAN, DOT_PRODUCT or COSINE. */
    String similarity(String version);

    /**
     * The embeddings of {@code images} by {@code version}, in order, with null for an image the
     * version cannot use (its reason logged by the implementation).
     */
    float[][] embed(String version, List<byte[]> images);
  }

  /** A watch that matched, with the image's score. */
  public record Match(Watch watch, float score) {}

  private final Models models;
  private final Map<String, Watch> watches = new LinkedHashMap<>();

  /** The version {@link #vectors} and {@link #tops} belong to; null before the first match. */
  private String version;

  private VectorSimilarityFunction similarity;

  /** By watch id, embedded by {@link #version}; null for an unusable watch. */
  private final Map<String, float[]> vectors = new HashMap<>();

  private final Map<String, TopScores> tops = new HashMap<>();

  /** The watches with vectors, in order, and their vectors laid out for scoring; null: rebuild. */
  private List<Watch> usable;

  private WatchVectors scorer;

  /** Per usable watch: its threshold, or minus infinity for a top-N watch. */
  private double[] thresholds;

  public StandingWatches(Models models) {
    this.models = models;
  }

  /** Adds {@code watch}, or replaces the watch of its id (which then starts afresh). */
  public void put(Watch watch) {
    watches.put(watch.id(), watch);
    vectors.remove(watch.id());
    tops.remove(watch.id());
    scorer = null;
  }

  /** Removes the watch {@code id}; says whether there was one. */
  public boolean remove(String id) {
    vectors.remove(id);
    tops.remove(id);
    scorer = null;
    return watches.remove(id) != null;
  }

  public int size() {
    return watches.size();
  }

  public Collection<Watch> all() {
    return List.copyOf(watches.values());
  }

  /**
   * The watches {@code vector} (embedded by {@code modelVersion}) matches, in the order they were
   * added; a top-N watch that matches admits the score.
   */
  public List<Match> match(float[] vector, String modelVersion) {
    if (watches.isEmpty()) {
      return List.of();
    }
    useVersion(modelVersion);
    embedMissing();
    if (scorer == null) {
      usable = new ArrayList<>();
      List<float[]> usableVectors = new ArrayList<>();
      for (Watch w : watches.values()) {
        float[] v = vectors.get(w.id());
        if (v != null) {
          usable.add(w);
          usableVectors.add(v);
        }
      }
      scorer = new WatchVectors(usableVectors, similarity);
    }
    scorer.score(vector);
    double norm = WatchVectors.norm(vector);
    List<Match> out = new ArrayList<>();
    for (int j = 0; j < usable.size(); j++) {
      Watch w = usable.get(j);
      double bound = scorer.upperBound(j, norm);
      TopScores top =
          w.top() == null ? null : tops.computeIfAbsent(w.id(), id -> new TopScores(w.top()));
      if (top == null ? bound < w.threshold() : !top.couldAdmit(bound)) {
        continue; // cannot match: skip the exact score
      }
      float score = similarity.compare(vector, vectors.get(w.id()));
      if (top == null ? score >= w.threshold() : top.offer(score)) {
        out.add(new Match(w, score));
      }
    }
    return out;
  }

  /** Lays the usable watches' vectors out for scoring, with their thresholds beside them. */
  private void layOut() {
    usable = new ArrayList<>();
    List<float[]> usableVectors = new ArrayList<>();
    for (Watch w : watches.values()) {
      float[] v = vectors.get(w.id());
      if (v != null) {
        usable.add(w);
        usableVectors.add(v);
      }
    }
    thresholds = new double[usable.size()];
    for (int j = 0; j < thresholds.length; j++) {
      Double t = usable.get(j).threshold();
      thresholds[j] = t == null ? Double.NEGATIVE_INFINITY : t; // a top watch: its own test
    }
    scorer = new WatchVectors(usableVectors, similarity);
  }

  /** The ids of the watches the current version cannot embed. */
  public List<String> unusable() {
    List<String> out = new ArrayList<>();
    vectors.forEach(
        (id, v) -> {
          if (v == null) {
            out.add(id);
          }
        });
    return out;
  }

  /** The top-N watches' admitted scores by watch id, for a checkpoint; see {@link #restoreTops}. */
  public Map<String, float[]> topScores() {
    Map<String, float[]> out = new HashMap<>();
    tops.forEach((id, top) -> out.put(id, top.scores()));
    return out;
  }

  /** The model version {@link #topScores} belong to, or null. */
  public String topVersion() {
    return version;
  }

  /** Restores what {@link #topScores} and {@link #topVersion} returned, after {@link #put}. */
  public void restoreTops(String modelVersion, Map<String, float[]> scores) {
    useVersion(modelVersion);
    scores.forEach(
        (id, s) -> {
          Watch w = watches.get(id);
          if (w != null && w.top() != null) {
            tops.put(id, TopScores.of(w.top(), s));
          }
        });
  }

  private void useVersion(String modelVersion) {
    if (modelVersion.equals(version)) {
      return;
    }
    similarity = VectorSimilarityFunction.valueOf(models.similarity(modelVersion));
    version = modelVersion;
    vectors.clear();
    tops.clear();
    scorer = null;
  }

  private void embedMissing() {
    List<Watch> missing = new ArrayList<>();
    for (Watch w : watches.values()) {
      if (!vectors.containsKey(w.id())) {
        missing.add(w);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    float[][] embedded = models.embed(version, missing.stream().map(Watch::image).toList());
    for (int i = 0; i < missing.size(); i++) {
      vectors.put(missing.get(i).id(), embedded[i]);
    }
  }
}
