package io.pixelstream.trainer.report;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/** Two-dimensional views of embeddings for the report: PCA and t-SNE. */
final class Projections {

  /** t-SNE's settings: the usual perplexity, enough steps to settle a few thousand points. */
  static final double PERPLEXITY = 30;

  static final int TSNE_ITERATIONS = 750;

  private Projections() {}

  /** The points' coordinates on their two principal components (commons-math's eigensolver). */
  static double[][] pca(float[][] points) {
    int n = points.length;
    int dim = points[0].length;
    double[] mean = new double[dim];
    for (float[] v : points) {
      for (int d = 0; d < dim; d++) {
        mean[d] += v[d] / n;
      }
    }
    double[][] cov = new double[dim][dim];
    for (float[] v : points) {
      for (int a = 0; a < dim; a++) {
        for (int b = a; b < dim; b++) {
          cov[a][b] += (v[a] - mean[a]) * (v[b] - mean[b]) / n;
        }
      }
    }
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b < a; b++) {
        cov[a][b] = cov[b][a];
      }
    }
    RealMatrix covariance = new Array2DRowRealMatrix(cov, false);
    EigenDecomposition eigen = new EigenDecomposition(covariance);
    double[] values = eigen.getRealEigenvalues();
    int first = 0;
    int second = -1;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[first]) {
        first = i;
      }
    }
    for (int i = 0; i < values.length; i++) {
      if (i != first && (second < 0 || values[i] > values[second])) {
        second = i;
      }
    }
    RealVector pc1 = eigen.getEigenvector(first);
    RealVector pc2 = second < 0 ? pc1.mapMultiply(0) : eigen.getEigenvector(second);
    double[][] xy = new double[n][2];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        double centred = points[i][d] - mean[d];
        xy[i][0] += centred * pc1.getEntry(d);
        xy[i][1] += centred * pc2.getEntry(d);
      }
    }
    return xy;
  }

  /** The points laid out by t-SNE ({@link Tsne}) with {@link #PERPLEXITY}, seeded. */
  static double[][] tsne(float[][] points, long seed) {
    double perplexity = Math.min(PERPLEXITY, (points.length - 1) / 3.0);
    return Tsne.embed(points, perplexity, TSNE_ITERATIONS, seed);
  }
}
