package io.pixelstream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NpzTest {

  private static Map<String, NdArray> sample() {
    Map<String, NdArray> arrays = new LinkedHashMap<>();
    arrays.put("conv1.weight", new NdArray(new int[] {2, 1, 3, 3}, ramp(18)));
    arrays.put("conv1.bias", new NdArray(new int[] {2}, new float[] {-1.5f, 2.25f}));
    arrays.put("scalar", new NdArray(new int[] {}, new float[] {7f}));
    return arrays;
  }

  private static float[] ramp(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i * 0.5f - 3;
    }
    return a;
  }

  @Test
  void roundTripsShapesAndValues() throws IOException {
    Map<String, NdArray> read = Npz.read(new ByteArrayInputStream(Npz.toBytes(sample())));
    assertThat(read).isEqualTo(sample());
    assertThat(read.keySet()).containsExactly("conv1.weight", "conv1.bias", "scalar");
  }

  @Test
  void writingIsDeterministic() {
    assertThat(Npz.toBytes(sample())).isEqualTo(Npz.toBytes(sample()));
  }

  @Test
  void npyHeaderIsNumpyCompatible() {
    byte[] npy = Npz.toNpy(new NdArray(new int[] {3}, new float[] {1, 2, 3}));
    int headerLen = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
    String header = new String(npy, 10, headerLen);
    assertThat((10 + headerLen) % 64).isZero();
    assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }");
    assertThat(header).endsWith("\n");
  }

  @Test
  void refusesGarbageAndWrongDtypes() {
    assertThatThrownBy(() -> Npz.read(new ByteArrayInputStream(new byte[] {1, 2, 3})))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no arrays");
    byte[] npy = Npz.toNpy(new NdArray(new int[] {2}, new float[] {1, 2}));
    String text =
        new String(npy, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f4", "<i4");
    assertThatThrownBy(
            () -> Npz.fromNpy("x", text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
        .hasMessageContaining("dtype <i4");
    assertThatThrownBy(() -> Npz.fromNpy("x", Arrays.copyOf(npy, npy.length - 4)))
        .hasMessageContaining("shape needs 8");
  }
}
