package io.pixelstream.core.embed;

import io.pixelstream.core.model.Layer;
import io.pixelstream.core.model.ModelArtifact;

/**
 * A plain-Java forward pass of an artifact's encoder, written from the layer definitions (PyTorch
 * semantics, eval mode). Slow and obvious on purpose: the oracle for the DJL encoder's weight
 * layout.
 */
final class ReferenceForward {

  private ReferenceForward() {}

  static float[] embed(ModelArtifact artifact, float[] chw) {
    var in = artifact.manifest().input();
    int c = in.channels();
    int h = in.height();
    int w = in.width();
    float[] x = chw.clone();
    for (Layer layer : artifact.manifest().architecture()) {
      String n = layer.name();
      if (layer instanceof Layer.Conv2d conv) {
        float[] wt = artifact.weight(n + ".weight").data();
        float[] b = artifact.weight(n + ".bias").data();
        int k = conv.kernel();
        int s = conv.stride();
        int p = conv.padding();
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (w + 2 * p - k) / s + 1;
        float[] y = new float[conv.outChannels() * oh * ow];
        for (int o = 0; o < conv.outChannels(); o++) {
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              double sum = b[o];
              for (int ci = 0; ci < c; ci++) {
                for (int ki = 0; ki < k; ki++) {
                  for (int kj = 0; kj < k; kj++) {
                    int yi = i * s + ki - p;
                    int xj = j * s + kj - p;
                    if (yi >= 0 && yi < h && xj >= 0 && xj < w) {
                      sum += wt[((o * c + ci) * k + ki) * k + kj] * x[(ci * h + yi) * w + xj];
                    }
                  }
                }
              }
              y[(o * oh + i) * ow + j] = (float) sum;
            }
          }
        }
        x = y;
        c = conv.outChannels();
        h = oh;
        w = ow;
      } else if (layer instanceof Layer.BatchNorm2d bn) {
        float[] g = artifact.weight(n + ".gamma").data();
        float[] be = artifact.weight(n + ".beta").data();
        float[] m = artifact.weight(n + ".running_mean").data();
        float[] v = artifact.weight(n + ".running_var").data();
        for (int ci = 0; ci < c; ci++) {
          double scale = g[ci] / Math.sqrt(v[ci] + bn.eps());
          for (int i = 0; i < h * w; i++) {
            int at = ci * h * w + i;
            x[at] = (float) ((x[at] - m[ci]) * scale + be[ci]);
          }
        }
      } else if (layer instanceof Layer.Relu) {
        for (int i = 0; i < x.length; i++) {
          x[i] = Math.max(0, x[i]);
        }
      } else if (layer instanceof Layer.MaxPool2d pool) {
        int k = pool.kernel();
        int s = pool.stride();
        int oh = (h - k) / s + 1;
        int ow = (w - k) / s + 1;
        float[] y = new float[c * oh * ow];
        for (int ci = 0; ci < c; ci++) {
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              float max = Float.NEGATIVE_INFINITY;
              for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                  max = Math.max(max, x[(ci * h + i * s + ki) * w + j * s + kj]);
                }
              }
              y[(ci * oh + i) * ow + j] = max;
            }
          }
        }
        x = y;
        h = oh;
        w = ow;
      } else if (layer instanceof Layer.Linear lin) {
        float[] wt = artifact.weight(n + ".weight").data();
        float[] b = artifact.weight(n + ".bias").data();
        float[] y = new float[lin.outFeatures()];
        for (int o = 0; o < y.length; o++) {
          double sum = b[o];
          for (int i = 0; i < lin.inFeatures(); i++) {
            sum += wt[o * lin.inFeatures() + i] * x[i];
          }
          y[o] = (float) sum;
        }
        x = y;
      } else if (layer instanceof Layer.L2Normalize l2) {
        double sum = 0;
        for (float v : x) {
          sum += (double) v * v;
        }
        double norm = Math.max(Math.sqrt(sum), l2.eps());
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          y[i] = (float) (x[i] / norm);
        }
        x = y;
      }
      // Flatten: x is already C-order CHW
    }
    return x;
  }
}
