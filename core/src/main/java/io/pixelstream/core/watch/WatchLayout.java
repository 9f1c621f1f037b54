package io.pixelstream.core.watch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The embedded watches of one model version as {@link StandingWatches} scores them: most of them
 * laid out in a {@link WatchVectors} (an image is scored against all at once), and the watches
 * added since it was built scored one by one. Watches added or removed one at a time while images
 * flow (as the watches topic is read) would otherwise rebuild the layout for every image; it is
 * rebuilt once the changes since reach an eighth of it.
 */
final class WatchLayout {

  private final VectorSimilarityFunction similarity;

  private List<Watch> laid = List.of();
  private List<float[]> laidVectors = List.of();
  private WatchVectors scorer = new WatchVectors(List.of(), VectorSimilarityFunction.EUCLIDEAN);

  /** Per laid-out watch: its threshold, or minus infinity for a top-N watch. */
  private double[] thresholds = new double[0];

  /** Per laid-out watch: removed or replaced since the layout was built. */
  private boolean[] gone = new boolean[0];

  private int goneCount;
  private final Map<String, Integer> position = new HashMap<>();

  /** Watches added since the layout was built, with their vectors, in order. */
  private final Map<String, Watch> recent = new LinkedHashMap<>();

  private final Map<String, float[]> recentVectors = new HashMap<>();

  WatchLayout(VectorSimilarityFunction similarity) {
    this.similarity = similarity;
  }

  /** Adds {@code watch} with its vector, replacing the watch of its id. */
  void add(Watch watch, float[] vector) {
    remove(watch.id());
    recent.put(watch.id(), watch);
    recentVectors.put(watch.id(), vector);
  }

  void remove(String id) {
    Integer at = position.remove(id);
    if (at != null) {
      gone[at] = true;
      goneCount++;
    }
    recent.remove(id);
    recentVectors.remove(id);
  }

  /**
   * The watches {@code vector} matches: the laid-out ones in their order, then the newer ones; a
   * top-N watch that matches admits the score into {@code tops}.
   */
  List<StandingWatches.Match> match(float[] vector, Map<String, TopScores> tops) {
    int changes = Math.max(recent.size(), goneCount);
    if (changes > Math.max(64, laid.size() / 8)) {
      rebuild();
    }
    List<StandingWatches.Match> out = new ArrayList<>();
    scorer.score(vector);
    double norm = WatchVectors.norm(vector);
    for (int j = 0; j < laid.size(); j++) {
      if (gone[j]) {
        continue;
      }
      double bound = scorer.upperBound(j, norm);
      if (bound >= thresholds[j]) {
        check(laid.get(j), laidVectors.get(j), vector, bound, tops, out);
      }
    }
    for (Watch w : recent.values()) {
      check(w, recentVectors.get(w.id()), vector, Double.POSITIVE_INFINITY, tops, out);
    }
    return out;
  }

  /** Scores {@code w} exactly unless its bound shows a top-N watch cannot admit the image. */
  private void check(
      Watch w,
      float[] watchVector,
      float[] vector,
      double bound,
      Map<String, TopScores> tops,
      List<StandingWatches.Match> out) {
    TopScores top =
        w.top() == null ? null : tops.computeIfAbsent(w.id(), id -> new TopScores(w.top()));
    if (top != null && !top.couldAdmit(bound)) {
      return;
    }
    float score = similarity.compare(vector, watchVector);
    if (top == null ? score >= w.threshold() : top.offer(score)) {
      out.add(new StandingWatches.Match(w, score));
    }
  }

  private void rebuild() {
    List<Watch> watches = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int j = 0; j < laid.size(); j++) {
      if (!gone[j]) {
        watches.add(laid.get(j));
        vectors.add(laidVectors.get(j));
      }
    }
    for (Watch w : recent.values()) {
      watches.add(w);
      vectors.add(recentVectors.get(w.id()));
    }
    recent.clear();
    recentVectors.clear();
    position.clear();
    laid = watches;
    laidVectors = vectors;
    thresholds = new double[watches.size()];
    gone = new boolean[watches.size()];
    goneCount = 0;
    for (int j = 0; j < watches.size(); j++) {
      Double t = watches.get(j).threshold();
      thresholds[j] = t == null ? Double.NEGATIVE_INFINITY : t; // a top watch: its own test
      position.put(watches.get(j).id(), j);
    }
    scorer = new WatchVectors(vectors, similarity);
  }
}
