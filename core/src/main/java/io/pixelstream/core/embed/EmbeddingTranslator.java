package io.pixelstream.core.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.pixelstream.core.model.InputShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Packs a batch of preprocessed CHW inputs into one NCHW tensor and unpacks the embeddings. Arrays
 * are created on the per-call manager DJL's predictor hands us, so native memory is freed after
 * every batch.
 */
final class EmbeddingTranslator implements NoBatchifyTranslator<float[][], float[][]> {

  private final InputShape shape;

  EmbeddingTranslator(InputShape shape) {
    this.shape = shape;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, float[][] batch) {
    int size = shape.size();
    FloatBuffer buffer =
        ByteBuffer.allocateDirect(4 * size * batch.length)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    for (float[] input : batch) {
      if (input.length != size) {
        throw new IllegalArgumentException(
            "an input has " + input.length + " values, the encoder takes " + size);
      }
      buffer.put(input);
    }
    buffer.rewind();
    NDArray array =
        ctx.getNDManager()
            .create(
                buffer, new Shape(batch.length, shape.channels(), shape.height(), shape.width()));
    return new NDList(array);
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) {
    NDArray out = list.singletonOrThrow();
    int n = (int) out.getShape().get(0);
    int dim = (int) out.getShape().get(1);
    float[] flat = out.toFloatArray();
    float[][] result = new float[n][dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * dim, result[i], 0, dim);
    }
    return result;
  }
}
