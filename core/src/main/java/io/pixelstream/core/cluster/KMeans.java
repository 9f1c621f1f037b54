package io.pixelstream.core.cluster;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means: greedy k-means++ seeding, then Lloyd iterations until no point changes cluster; repeated
 * from {@code restarts} seedings, keeping the fit with the lowest inertia (sum of squared distances
 * to the assigned centroid). One fit is a local optimum; with one seeding, two classes are often
 * merged and a third split, which moves NMI by several points between seeds. Greedy seeding (each
 * next centroid the best of {@code 2 + ln k} candidates drawn as k-means++ draws one, the choice
 * scikit-learn makes) starts Lloyd nearer the best optimum, so that ten restarts find it from
 * (nearly) any seed. Every fit is reproducible from its seed.
 */
public final class KMeans {

  /** Seedings tried per fit unless told otherwise (as scikit-learn's {@code n_init}). */
  public static final int DEFAULT_RESTARTS = 10;

  /** Lloyd iterations per seeding unless told otherwise. */
  public static final int DEFAULT_MAX_ITERATIONS = 100;

  private KMeans() {}

  /** {@link #fit(float[][], int, int, int, long)} with the default iterations and restarts. */
  public static Centroids fit(float[][] points, int k, long seed) {
    return fit(points, k, DEFAULT_MAX_ITERATIONS, DEFAULT_RESTARTS, seed);
  }

  /**
   * Fits {@code k} centroids to {@code points}.
   *
   * @param points at least {@code k} vectors of equal length
   * @param k number of clusters, >= 1
   * @param maxIterations Lloyd iterations per seeding, >= 1
   * @param restarts k-means++ seedings to try, >= 1; the lowest-inertia fit wins
   * @param seed seed of the seedings
   */
  public static Centroids fit(float[][] points, int k, int maxIterations, int restarts, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (points.length < k) {
      throw new IllegalArgumentException(
          "points (" + points.length + ") must be at least k (" + k + ")");
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    if (restarts < 1) {
      throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
    }
    int dim = points[0].length;
    for (int i = 0; i < points.length; i++) {
      if (points[i].length != dim) {
        throw new IllegalArgumentException(
            "point " + i + " has " + points[i].length + " values, expected " + dim);
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[][] best = null;
    double bestInertia = Double.POSITIVE_INFINITY;
    for (int r = 0; r < restarts; r++) {
      float[][] centroids = seedPlusPlus(points, k, random);
      double inertia = lloyd(points, centroids, maxIterations);
      if (inertia < bestInertia) {
        bestInertia = inertia;
        best = centroids;
      }
    }
    return new Centroids(best);
  }

  /**
   * Greedy k-means++: each next centroid is, of {@code 2 + ln k} points drawn with probability ∝
   * squared distance to the nearest centroid so far, the one that leaves the lowest total.
   */
  private static float[][] seedPlusPlus(float[][] points, int k, SplittableRandom random) {
    int candidates = 2 + (int) Math.log(k);
    float[][] centroids = new float[k][];
    centroids[0] = points[random.nextInt(points.length)].clone();
    double[] dist = new double[points.length];
    double total = 0;
    for (int i = 0; i < points.length; i++) {
      dist[i] = Centroids.squaredDistance(points[i], centroids[0]);
      total += dist[i];
    }
    double[] trial = new double[points.length];
    double[] bestDist = new double[points.length];
    for (int c = 1; c < k; c++) {
      int bestPick = -1;
      double bestTotal = Double.POSITIVE_INFINITY;
      for (int t = 0; t < candidates; t++) {
        int pick = draw(dist, total, random);
        double trialTotal = 0;
        for (int i = 0; i < points.length; i++) {
          trial[i] = Math.min(dist[i], Centroids.squaredDistance(points[i], points[pick]));
          trialTotal += trial[i];
        }
        if (trialTotal < bestTotal) {
          bestTotal = trialTotal;
          bestPick = pick;
          System.arraycopy(trial, 0, bestDist, 0, trial.length);
        }
      }
      centroids[c] = points[bestPick].clone();
      System.arraycopy(bestDist, 0, dist, 0, dist.length);
      total = bestTotal;
    }
    return centroids;
  }

  /** A point index drawn with probability ∝ {@code dist} (uniformly when all are 0). */
  private static int draw(double[] dist, double total, SplittableRandom random) {
    if (!(total > 0)) {
      return random.nextInt(dist.length);
    }
    double target = random.nextDouble() * total;
    for (int i = 0; i < dist.length; i++) {
      target -= dist[i];
      if (target < 0) {
        return i;
      }
    }
    return dist.length - 1;
  }

  /** Refines {@code centroids} in place; returns the final inertia. */
  private static double lloyd(float[][] points, float[][] centroids, int maxIterations) {
    int k = centroids.length;
    int dim = points[0].length;
    int[] assigned = new int[points.length];
    Arrays.fill(assigned, -1);
    double[] nearestDist = new double[points.length];
    for (int iter = 0; iter < maxIterations; iter++) {
      boolean changed = assign(points, centroids, assigned, nearestDist);
      if (!changed && iter > 0) {
        break;
      }
      double[][] sums = new double[k][dim];
      int[] counts = new int[k];
      for (int i = 0; i < points.length; i++) {
        double[] sum = sums[assigned[i]];
        for (int d = 0; d < dim; d++) {
          sum[d] += points[i][d];
        }
        counts[assigned[i]]++;
      }
      for (int c = 0; c < k; c++) {
        if (counts[c] == 0) {
          // An empty cluster takes the point farthest from its centroid.
          int far = farthest(nearestDist);
          centroids[c] = points[far].clone();
          nearestDist[far] = 0;
          continue;
        }
        for (int d = 0; d < dim; d++) {
          centroids[c][d] = (float) (sums[c][d] / counts[c]);
        }
      }
    }
    assign(points, centroids, assigned, nearestDist);
    double inertia = 0;
    for (double d : nearestDist) {
      inertia += d;
    }
    return inertia;
  }

  private static boolean assign(
      float[][] points, float[][] centroids, int[] assigned, double[] nearestDist) {
    boolean changed = false;
    for (int i = 0; i < points.length; i++) {
      int bestC = 0;
      double bestD = Double.POSITIVE_INFINITY;
      for (int c = 0; c < centroids.length; c++) {
        double d = Centroids.squaredDistance(points[i], centroids[c]);
        if (d < bestD) {
          bestD = d;
          bestC = c;
        }
      }
      nearestDist[i] = bestD;
      if (assigned[i] != bestC) {
        assigned[i] = bestC;
        changed = true;
      }
    }
    return changed;
  }

  private static int farthest(double[] nearestDist) {
    int far = 0;
    for (int i = 0; i < nearestDist.length; i++) {
      if (nearestDist[i] > nearestDist[far]) {
        far = i;
      }
    }
    return far;
  }
}
