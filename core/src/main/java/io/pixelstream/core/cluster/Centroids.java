package io.pixelstream.core.cluster;

/**
 * k-means centroids and nearest-centroid assignment by squared Euclidean distance (the published
 * method's "predict the query's cluster" step).
 */
public final class Centroids {

  private final float[][] centroids;
  private final int dim;

  /**
   * @param centroids k rows of equal length; copied
   */
  public Centroids(float[][] centroids) {
    if (centroids == null || centroids.length == 0) {
      throw new IllegalArgumentException("centroids must hold at least one row");
    }
    this.dim = centroids[0].length;
    this.centroids = new float[centroids.length][];
    for (int i = 0; i < centroids.length; i++) {
      if (centroids[i].length != dim) {
        throw new IllegalArgumentException(
            "centroid " + i + " has " + centroids[i].length + " values, expected " + dim);
      }
      this.centroids[i] = centroids[i].clone();
    }
  }

  public int k() {
    return centroids.length;
  }

  /** A copy of the rows. */
  public float[][] toArray() {
    float[][] copy = new float[centroids.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = centroids[i].clone();
    }
    return copy;
  }

  /** Index of the centroid nearest to {@code v}; ties go to the lowest index. */
  public int nearest(float[] v) {
    if (v.length != dim) {
      throw new IllegalArgumentException("vector has " + v.length + " values, centroids " + dim);
    }
    int best = 0;
    double bestDist = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      double d = squaredDistance(centroids[c], v);
      if (d < bestDist) {
        bestDist = d;
        best = c;
      }
    }
    return best;
  }

  /** Squared Euclidean distance between equal-length vectors. */
  public static double squaredDistance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double diff = a[i] - b[i];
      sum += diff * diff;
    }
    return sum;
  }
}
