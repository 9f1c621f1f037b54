package io.pixelstream.trainer.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.model.Architecture;
import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.NdArray;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureAutoencoderTest {

  /** Features far from standardised: per-dimension offsets and scales, as a backbone gives. */
  private static float[][] features(int n, int d, long seed) {
    Random random = new Random(seed);
    float[] offset = new float[d];
    float[] scale = new float[d];
    for (int i = 0; i < d; i++) {
      offset[i] = (float) (random.nextGaussian() * 5);
      scale[i] = 0.1f + 10 * random.nextFloat();
    }
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int i = 0; i < d; i++) {
        row[i] = offset[i] + scale[i] * (float) random.nextGaussian();
      }
    }
    return x;
  }

  /** The exported layers on raw features, computed here in plain Java. */
  private static float[] forward(List<Layer> layers, Map<String, NdArray> w, float[] x) {
    float[] v = x;
    for (Layer layer : layers) {
      if (layer instanceof Layer.Linear l) {
        float[] weight = w.get(l.name() + ".weight").data();
        float[] bias = w.get(l.name() + ".bias").data();
        float[] out = new float[l.outFeatures()];
        for (int o = 0; o < out.length; o++) {
          double s = bias[o];
          for (int i = 0; i < l.inFeatures(); i++) {
            s += weight[o * l.inFeatures() + i] * v[i];
          }
          out[o] = (float) s;
        }
        v = out;
      } else if (layer instanceof Layer.Relu) {
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.max(0, v[i]);
        }
      } else if (layer instanceof Layer.L2Normalize l2) {
        double norm = 0;
        for (float f : v) {
          norm += f * f;
        }
        double d = Math.max(Math.sqrt(norm), l2.eps());
        for (int i = 0; i < v.length; i++) {
          v[i] /= (float) d;
        }
      }
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void exportedLayersOnRawFeaturesMatchTheGraphOnStandardisedOnes(boolean normalized) {
    FeatureHeadConfig config = new FeatureHeadConfig(24, 16, 8, normalized, 3, 1, 1e-3, 11);
    float[][] x = features(50, 24, 5);
    FeatureScaling scaling = FeatureScaling.fit(x);
    var graph = FeatureAutoencoder.build(config);
    List<Layer> layers = FeatureAutoencoder.layers(config);
    Map<String, NdArray> weights = FeatureAutoencoder.weights(graph, config, scaling);
    assertThat(Architecture.parameterShapes(new int[] {24}, layers).keySet())
        .containsExactlyInAnyOrderElementsOf(weights.keySet());
    assertThat(Architecture.outputDim(new int[] {24}, layers)).isEqualTo(8);
    float[][] dl4j = FeatureAutoencoder.embed(graph, scaling.apply(x));
    double max = 0;
    for (int n = 0; n < x.length; n++) {
      float[] mine = forward(layers, weights, x[n]);
      for (int i = 0; i < mine.length; i++) {
        max = Math.max(max, Math.abs(mine[i] - dl4j[n][i]));
      }
    }
    assertThat(max).isLessThanOrEqualTo(1e-4);
  }
}
