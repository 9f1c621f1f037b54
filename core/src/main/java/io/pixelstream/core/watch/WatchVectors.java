package io.pixelstream.core.watch;

import java.util.List;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The vectors of many watches laid out dimension-major, so that one image is scored against all of
 * them in a few passes the JIT compiles to SIMD (a multiply-add over a row, no reduction), about an
 * order of magnitude faster than one Lucene {@code compare} per watch. The fast scores are only
 * bounds: {@link #upperBound} is at least the exact score, and a caller compares exactly (with
 * Lucene's function, as the index scores) only the watches whose bound reaches their threshold.
 */
final class WatchVectors {

  /** Relative rounding of a float dot product of embedding length, with a wide margin. */
  private static final double RELATIVE_ERROR = 1e-4;

  private final VectorSimilarityFunction similarity;
  private final int count;
  private final int dim;
  private final float[] byDim;
  private final float[] norms;
  private final float[] dots;

  WatchVectors(List<float[]> vectors, VectorSimilarityFunction similarity) {
    this.similarity = similarity;
    this.count = vectors.size();
    this.dim = count == 0 ? 0 : vectors.get(0).length;
    this.byDim = new float[dim * count];
    this.norms = new float[count];
    this.dots = new float[count];
    for (int j = 0; j < count; j++) {
      float[] v = vectors.get(j);
      if (v.length != dim) {
        throw new IllegalArgumentException(
            "vector " + j + " has " + v.length + " dimensions, not " + dim);
      }
      double sum = 0;
      for (int d = 0; d < dim; d++) {
        byDim[d * count + j] = v[d];
        sum += (double) v[d] * v[d];
      }
      norms[j] = (float) Math.sqrt(sum);
    }
  }

  int size() {
    return count;
  }

  /**
   * Scores {@code query} against every vector; afterwards {@link #upperBound} answers for it. Not
   * thread-safe: one scorer per task.
   */
  void score(float[] query) {
    java.util.Arrays.fill(dots, 0f);
    for (int d = 0; d < dim; d++) {
      float q = query[d];
      int row = d * count;
      for (int j = 0; j < count; j++) {
        dots[j] += q * byDim[row + j];
      }
    }
  }

  /**
   * A score at least as high as the exact one of vector {@code j} for the last query ({@code
   * queryNorm} its length): exact scores below a threshold this bound does not reach are not
   * computed.
   */
  double upperBound(int j, double queryNorm) {
    double dot = dots[j];
    double error = RELATIVE_ERROR * queryNorm * norms[j] + 1e-12;
    switch (similarity) {
      case EUCLIDEAN -> {
        double squared = queryNorm * queryNorm + (double) norms[j] * norms[j] - 2 * dot;
        double squaredError = RELATIVE_ERROR * (queryNorm * queryNorm + norms[j] * norms[j]);
        return 1 / (1 + Math.max(0, squared - squaredError - 2 * error));
      }
      case DOT_PRODUCT -> {
        return Math.max((1 + dot + error) / 2, 0);
      }
      case COSINE -> {
        double lengths = queryNorm * norms[j];
        return lengths == 0 ? 1 : Math.max((1 + (dot + error) / lengths) / 2 + 1e-6, 0);
      }
      default -> {
        return Double.POSITIVE_INFINITY; // no cheap bound: always compare exactly
      }
    }
  }

  /** The length of {@code v}. */
  static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }
}
