package io.pixelstream.trainer.report;

import java.util.Random;

/**
 * Exact t-SNE (van der Maaten and Hinton, 2008) into two dimensions, for the report's picture of a
 * few hundred to a few thousand embeddings: O(n²) memory and time per iteration. No library on
 * Maven Central fits: Smile's is (L)GPL and DL4J's t-SNE stopped at 1.0.0-beta7.
 *
 * <p>Affinities: a Gaussian around each point whose width is found by bisection so that its
 * perplexity is {@code perplexity} (the effective number of neighbours), symmetrised. Layout:
 * gradient descent on the KL divergence to a Student-t similarity in 2-D, with early exaggeration
 * (×12 for the first 250 iterations), momentum 0.5 then 0.8, per-coordinate gains as in the paper's
 * reference implementation, and the learning rate max(n / 48, 50) that scikit-learn's "auto" uses
 * (a fixed 200 throws a thousand points apart under the exaggeration).
 */
final class Tsne {

  private static final int EXAGGERATION_ITERATIONS = 250;
  private static final double EXAGGERATION = 12;

  private Tsne() {}

  /**
   * Lays out {@code points} in 2-D.
   *
   * @param perplexity effective neighbours per point, less than the number of points
   * @param iterations gradient steps, at least {@value #EXAGGERATION_ITERATIONS} to settle
   * @param seed seed of the initial layout
   * @return one (x, y) per point
   */
  static double[][] embed(float[][] points, double perplexity, int iterations, long seed) {
    int n = points.length;
    if (n < 4) {
      throw new IllegalArgumentException("points must hold at least 4 rows, got " + n);
    }
    if (!(perplexity > 1) || perplexity >= n) {
      throw new IllegalArgumentException("perplexity must be in (1, " + n + "), got " + perplexity);
    }
    double[][] p = affinities(squaredDistances(points), perplexity);
    Random random = new Random(seed);
    double[][] y = new double[n][2];
    for (double[] row : y) {
      row[0] = random.nextGaussian() * 1e-4;
      row[1] = random.nextGaussian() * 1e-4;
    }
    double[][] velocity = new double[n][2];
    double[][] gains = new double[n][2];
    for (double[] g : gains) {
      g[0] = 1;
      g[1] = 1;
    }
    double learningRate = Math.max(n / EXAGGERATION / 4, 50);
    double[][] q = new double[n][n];
    double[][] gradient = new double[n][2];
    for (int it = 0; it < iterations; it++) {
      double exaggeration = it < EXAGGERATION_ITERATIONS ? EXAGGERATION : 1;
      double momentum = it < EXAGGERATION_ITERATIONS ? 0.5 : 0.8;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double dx = y[i][0] - y[j][0];
          double dy = y[i][1] - y[j][1];
          double v = 1 / (1 + dx * dx + dy * dy);
          q[i][j] = v;
          q[j][i] = v;
          sum += 2 * v;
        }
      }
      for (int i = 0; i < n; i++) {
        double gx = 0;
        double gy = 0;
        for (int j = 0; j < n; j++) {
          if (j != i) {
            double f = (exaggeration * p[i][j] - q[i][j] / sum) * q[i][j];
            gx += f * (y[i][0] - y[j][0]);
            gy += f * (y[i][1] - y[j][1]);
          }
        }
        gradient[i][0] = 4 * gx;
        gradient[i][1] = 4 * gy;
      }
      double[] mean = new double[2];
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < 2; d++) {
          step(y[i], velocity[i], gains[i], d, gradient[i][d], momentum, learningRate);
          mean[d] += y[i][d] / n;
        }
      }
      for (double[] row : y) {
        row[0] -= mean[0];
        row[1] -= mean[1];
      }
    }
    return y;
  }

  private static void step(
      double[] y,
      double[] velocity,
      double[] gains,
      int d,
      double gradient,
      double momentum,
      double learningRate) {
    boolean sameSign = (gradient > 0) == (velocity[d] > 0);
    gains[d] = Math.max(0.01, sameSign ? gains[d] * 0.8 : gains[d] + 0.2);
    velocity[d] = momentum * velocity[d] - learningRate * gains[d] * gradient;
    y[d] += velocity[d];
  }

  private static double[][] squaredDistances(float[][] x) {
    int n = x.length;
    double[][] d = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = 0;
        for (int k = 0; k < x[i].length; k++) {
          double diff = x[i][k] - x[j][k];
          s += diff * diff;
        }
        d[i][j] = s;
        d[j][i] = s;
      }
    }
    return d;
  }

  /** Symmetric joint probabilities p_ij, each row's Gaussian tuned to {@code perplexity}. */
  static double[][] affinities(double[][] d, double perplexity) {
    int n = d.length;
    double target = Math.log(perplexity);
    double[][] p = new double[n][n];
    for (int i = 0; i < n; i++) {
      double beta = 1;
      double lo = 0;
      double hi = Double.POSITIVE_INFINITY;
      for (int tries = 0; tries < 64; tries++) {
        double sum = 0;
        double weighted = 0;
        for (int j = 0; j < n; j++) {
          if (j != i) {
            double v = Math.exp(-beta * d[i][j]);
            p[i][j] = v;
            sum += v;
            weighted += d[i][j] * v;
          }
        }
        sum = Math.max(sum, Double.MIN_NORMAL);
        double entropy = Math.log(sum) + beta * weighted / sum;
        for (int j = 0; j < n; j++) {
          p[i][j] /= sum;
        }
        if (Math.abs(entropy - target) < 1e-5) {
          break;
        }
        if (entropy > target) {
          lo = beta;
          beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
        } else {
          hi = beta;
          beta = (beta + lo) / 2;
        }
      }
      p[i][i] = 0;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double v = Math.max((p[i][j] + p[j][i]) / (2 * n), 1e-12);
        p[i][j] = v;
        p[j][i] = v;
      }
    }
    return p;
  }
}
