package io.pixelstream.bench.jmh;

import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DJL encoder throughput alone: one forward pass of a batch of preprocessed 28x28 images through
 * the default Fashion-MNIST encoder (conv 16-32, 64-d, random init with seed 42), on one intra-op
 * thread as the job runs it. Score = batches per second; images per second = score x batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1"})
public class EncoderBenchmark {

  @Param({"1", "32", "256"})
  public int batch;

  private ImageEncoder encoder;
  private float[][] inputs;

  @Setup(Level.Trial)
  public void setUp() {
    EncoderSpec spec = EncoderSpec.fashionMnist();
    ModelArtifact model =
        RandomModel.create("jmh", "2026-01-01T00:00:00Z", spec, Normalization.unit(1), 10, 42);
    encoder = ImageEncoder.open(model, ImageEncoder.DeviceChoice.AUTO);
    InputShape in = spec.input();
    Random random = new Random(7);
    inputs = new float[batch][in.channels() * in.height() * in.width()];
    for (float[] row : inputs) {
      for (int i = 0; i < row.length; i++) {
        row[i] = random.nextFloat();
      }
    }
  }

  @Benchmark
  public float[][] embed() {
    return encoder.embed(inputs);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoder.close();
  }
}
