package io.pixelstream.core.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
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
 * every batch. The inputs pass through one direct buffer kept for the next call (grown when a batch
 * is larger), so a call allocates no new memory outside the tensors; like the predictor that runs
 * it, an instance serves one thread at a time.
 */
final class EmbeddingTranslator implements NoBatchifyTranslator<float[][], float[][]> {

  private final InputShape shape;
  private ByteBuffer bytes = ByteBuffer.allocateDirect(0);

  EmbeddingTranslator(InputShape shape) {
    this.shape = shape;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, float[][] batch) {
    int size = shape.size();
    int values = size * batch.length;
    if (bytes.capacity() < 4 * values) {
      bytes = ByteBuffer.allocateDirect(4 * values).order(ByteOrder.nativeOrder());
    }
    // DJL takes a direct ByteBuffer as it is; any other buffer it copies into a new one first
    FloatBuffer floats = bytes.clear().asFloatBuffer();
    for (float[] input : batch) {
      if (input.length != size) {
        throw new IllegalArgumentException(
            "an input has " + input.length + " values, the encoder takes " + size);
      }
      floats.put(input);
    }
    bytes.limit(4 * values);
    NDArray array =
        ctx.getNDManager()
            .create(
                bytes,
                new Shape(batch.length, shape.channels(), shape.height(), shape.width()),
                DataType.FLOAT32);
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
