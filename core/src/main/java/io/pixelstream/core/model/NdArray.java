package io.pixelstream.core.model;

import java.util.Arrays;

/** A dense float32 array in C order with its shape; the unit of {@code encoder.npz}. */
public record NdArray(int[] shape, float[] data) {

  public NdArray {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "shape dimensions must be >= 0: " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "data has "
              + data.length
              + " values but shape "
              + Arrays.toString(shape)
              + " needs "
              + n);
    }
    shape = shape.clone();
  }

  /** A copy of the shape. */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  public boolean hasShape(int... expected) {
    return Arrays.equals(shape, expected);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NdArray a && Arrays.equals(a.shape, shape) && Arrays.equals(a.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NdArray" + Arrays.toString(shape);
  }
}
