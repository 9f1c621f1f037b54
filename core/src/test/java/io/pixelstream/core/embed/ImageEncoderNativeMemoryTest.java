package io.pixelstream.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pixelstream.core.io.NativeHeap;
import io.pixelstream.core.io.ProcessMemory;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageEncoderNativeMemoryTest {

  private static final int BATCH = 256;
  private static final int CALLS = 20;

  @Test
  void repeatedBatchesReuseTheNativeHeapInsteadOfFaultingItInAgain() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "needs Linux");
    ModelArtifact model =
        RandomModel.create(
            "faults",
            "2026-01-01T00:00:00Z",
            EncoderSpec.fashionMnist(),
            Normalization.unit(1),
            10,
            42);
    float[][] inputs = new float[BATCH][EncoderSpec.fashionMnist().input().size()];
    Random random = new Random(7);
    for (float[] row : inputs) {
      for (int i = 0; i < row.length; i++) {
        row[i] = random.nextFloat();
      }
    }
    try (ImageEncoder encoder = ImageEncoder.open(model, ImageEncoder.DeviceChoice.CPU)) {
      assumeTrue(NativeHeap.keepFreedMemory(), "needs glibc and no MALLOC_* thresholds set");
      for (int i = 0; i < 5; i++) {
        encoder.embed(inputs); // the heap grows to the forward pass's working set once
      }
      // the calling thread's faults: with one intra-op thread (the tests' setting) libtorch runs
      // in it, and the JVM's own threads (JIT, GC) do not count
      long before = ProcessMemory.threadMinorFaults();
      for (int i = 0; i < CALLS; i++) {
        assertThat(encoder.embed(inputs)).hasNumberOfRows(BATCH);
      }
      long perCall = (ProcessMemory.threadMinorFaults() - before) / CALLS;
      // measured here: 646-5,798 pages per call with glibc's defaults (how many depends on the
      // heap's history, so NativeHeapTest is the exact check), 19-215 with NativeHeap
      assertThat(perCall).isLessThan(1_000);
    }
  }
}
