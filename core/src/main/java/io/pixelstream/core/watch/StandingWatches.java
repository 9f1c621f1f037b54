package io.pixelstream.core.watch;

import java.util.ArrayList;
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

  /** The usable watches of {@link #version} laid out for scoring. */
  private WatchLayout layout;

  /** Watches put since they were last embedded (a replaced one is skipped when embedded). */
  private final List<Watch> toEmbed = new ArrayList<>();

  public StandingWatches(Models models) {
    this.models = models;
  }

  /** Adds {@code watch}, or replaces the watch of its id (which then starts afresh). */
  public void put(Watch watch) {
    watches.put(watch.id(), watch);
    forget(watch.id());
    toEmbed.add(watch);
  }

  /** Removes the watch {@code id}; says whether there was one. */
  public boolean remove(String id) {
    forget(id);
    return watches.remove(id) != null;
  }

  private void forget(String id) {
    vectors.remove(id);
    tops.remove(id);
    if (layout != null) {
      layout.remove(id);
    }
  }

  public int size() {
    return watches.size();
  }

  /**
   * The watches {@code vector} (embedded by {@code modelVersion}) matches: those laid out for
   * scoring in the order they were added, then the ones added since; a top-N watch that matches
   * admits the score.
   */
  public List<Match> match(float[] vector, String modelVersion) {
    if (watches.isEmpty()) {
      return List.of();
    }
    useVersion(modelVersion);
    embedMissing();
    return layout.match(vector, tops);
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
    layout = new WatchLayout(similarity);
    toEmbed.clear();
    toEmbed.addAll(watches.values());
  }

  private void embedMissing() {
    List<Watch> missing = new ArrayList<>();
    for (Watch w : toEmbed) {
      if (watches.get(w.id()) == w && !vectors.containsKey(w.id())) {
        missing.add(w);
      }
    }
    toEmbed.clear();
    if (missing.isEmpty()) {
      return;
    }
    float[][] embedded = models.embed(version, missing.stream().map(Watch::image).toList());
    for (int i = 0; i < missing.size(); i++) {
      Watch w = missing.get(i);
      vectors.put(w.id(), embedded[i]);
      if (embedded[i] != null) {
        layout.add(w, embedded[i]);
      }
    }
  }
}
