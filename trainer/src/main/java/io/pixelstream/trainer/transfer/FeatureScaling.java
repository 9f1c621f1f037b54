package io.pixelstream.trainer.transfer;

/**
 * Per-dimension standardisation of feature vectors, {@code (x - mean) / std}: backbones give
 * features of any scale, the dense layers train best on unit-variance inputs.
 */
public record FeatureScaling(float[] mean, float[] std) {

  /** Below this standard deviation a dimension is only centred (a constant feature). */
  static final float STD_FLOOR = 1e-6f;

  static FeatureScaling fit(float[][] features) {
    int d = features[0].length;
    double[] sum = new double[d];
    double[] sq = new double[d];
    for (float[] f : features) {
      for (int i = 0; i < d; i++) {
        sum[i] += f[i];
        sq[i] += (double) f[i] * f[i];
      }
    }
    float[] mean = new float[d];
    float[] std = new float[d];
    for (int i = 0; i < d; i++) {
      double m = sum[i] / features.length;
      mean[i] = (float) m;
      std[i] = (float) Math.max(STD_FLOOR, Math.sqrt(Math.max(0, sq[i] / features.length - m * m)));
    }
    return new FeatureScaling(mean, std);
  }

  float[][] apply(float[][] features) {
    float[][] out = new float[features.length][];
    for (int n = 0; n < features.length; n++) {
      float[] x = new float[mean.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = (features[n][i] - mean[i]) / std[i];
      }
      out[n] = x;
    }
    return out;
  }
}
