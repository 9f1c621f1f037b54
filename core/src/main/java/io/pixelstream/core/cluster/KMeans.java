package io.pixelstream.core.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/** k-means++ (commons-math3) with an explicit seed, so every fit is reproducible. */
public final class KMeans {

  private KMeans() {}

  /**
   * Fits {@code k} centroids to {@code points}.
   *
   * @param points at least {@code k} vectors of equal length
   * @param k number of clusters, >= 1
   * @param maxIterations Lloyd iterations, >= 1
   * @param seed seed for k-means++ seeding and empty-cluster handling
   */
  public static Centroids fit(float[][] points, int k, int maxIterations, long seed) {
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
    List<DoublePoint> data = new ArrayList<>(points.length);
    for (float[] p : points) {
      double[] d = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        d[i] = p[i];
      }
      data.add(new DoublePoint(d));
    }
    JDKRandomGenerator random = new JDKRandomGenerator();
    random.setSeed(seed);
    KMeansPlusPlusClusterer<DoublePoint> clusterer =
        new KMeansPlusPlusClusterer<>(
            k,
            maxIterations,
            new EuclideanDistance(),
            random,
            KMeansPlusPlusClusterer.EmptyClusterStrategy.LARGEST_VARIANCE);
    List<CentroidCluster<DoublePoint>> clusters = clusterer.cluster(data);
    float[][] centroids = new float[clusters.size()][];
    for (int c = 0; c < centroids.length; c++) {
      double[] center = clusters.get(c).getCenter().getPoint();
      centroids[c] = new float[center.length];
      for (int i = 0; i < center.length; i++) {
        centroids[c][i] = (float) center[i];
      }
    }
    return new Centroids(centroids);
  }
}
