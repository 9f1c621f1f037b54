package io.pixelstream.core.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Packs a batch of inputs (each one item of {@code itemShape}, e.g. a CHW image) into one tensor
 * and unpacks the embeddings, checking that the model gave exactly one vector per input. Arrays are
 * created on the per-call manager DJL's predictor hands us, so native memory is freed after every
 * batch. The inputs pass through one direct buffer kept for the next call (grown when a batch is
 * larger), so a call allocates no new memory outside the tensors; like the predictor that runs it,
 * an instance serves one thread at a time.
 */
final class EmbeddingTranslator implements NoBatchifyTranslator<float[][], float[][]> {

  private static final String BATCH = "batch";

  private final long[] itemShape;
  private final int size;
  private ByteBuffer bytes = ByteBuffer.allocateDirect(0);

  EmbeddingTranslator(int[] itemShape) {
    this.itemShape = Arrays.stream(itemShape).asLongStream().toArray();
    this.size = IntStream.of(itemShape).reduce(1, (a, b) -> a * b);
  }

  @Override
  public NDList processInput(TranslatorContext ctx, float[][] batch) {
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
    ctx.setAttachment(BATCH, batch.length);
    long[] shape = new long[itemShape.length + 1];
    shape[0] = batch.length;
    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
    NDArray array = ctx.getNDManager().create(bytes, new Shape(shape), DataType.FLOAT32);
    return new NDList(array);
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) {
    if (list.size() != 1) {
      throw new IllegalStateException(
          "the encoder gave " + list.size() + " outputs; it must give one: a vector per image");
    }
    NDArray out = list.get(0);
    Shape shape = out.getShape();
    if (shape.dimension() != 2 || shape.get(0) != (int) ctx.getAttachment(BATCH)) {
      throw new IllegalStateException(
          "the encoder's output has shape "
              + shape
              + " for a batch of "
              + ctx.getAttachment(BATCH)
              + " images; it must be one vector per image, [batch, dimension]");
    }
    int rows = (int) shape.get(0);
    int dim = (int) shape.get(1);
    float[] flat =
        out.getDataType() == DataType.FLOAT32
            ? out.toFloatArray()
            : out.toType(DataType.FLOAT32, false).toFloatArray();
    float[][] result = new float[rows][dim];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * dim, result[i], 0, dim);
    }
    return result;
  }
}
