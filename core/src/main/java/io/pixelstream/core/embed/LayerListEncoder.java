package io.pixelstream.core.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.pixelstream.core.io.NativeHeap;
import io.pixelstream.core.io.NativeStderr;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import java.util.stream.IntStream;

/**
 * The {@link io.pixelstream.core.model.EncoderFormat#LAYERS} kind: the manifest's layer list
 * rebuilt as a DJL block ({@link EncoderBlocks}) and run by the PyTorch engine. It also runs the
 * layers that follow a model file ({@link ModelFileEncoder}), on that file's output vectors. Not
 * thread-safe: it holds one DJL {@link Predictor}.
 */
final class LayerListEncoder implements ImageEncoder {

  private final ModelManifest manifest;
  private final Model model;
  private final Predictor<float[][], float[][]> predictor;
  private final Device device;

  private LayerListEncoder(ModelManifest manifest, Model model, Device device) {
    this.manifest = manifest;
    this.model = model;
    this.device = device;
    this.predictor = model.newPredictor(new EmbeddingTranslator(manifest.layersInput()));
  }

  /** True once a forward ran in this process: libtorch said what it says once. */
  private static volatile boolean warmedUp;

  static LayerListEncoder open(ModelArtifact artifact, DeviceChoice choice) {
    if (warmedUp) {
      return build(artifact, choice);
    }
    // libtorch's once-per-process notices go to the log, not the console (see NativeStderr)
    return NativeStderr.toLogWhile(
        () -> {
          LayerListEncoder encoder = build(artifact, choice);
          try {
            encoder.embed(
                new float[1]
                    [IntStream.of(artifact.manifest().layersInput()).reduce(1, (a, b) -> a * b)]);
          } catch (RuntimeException e) {
            encoder.close();
            throw e;
          }
          warmedUp = true;
          return encoder;
        });
  }

  private static LayerListEncoder build(ModelArtifact artifact, DeviceChoice choice) {
    NativeHeap.keepFreedMemory(); // libtorch's temporaries, see there
    Device device = choice.resolve(Engine.getEngine("PyTorch"));
    Model model = Model.newInstance("encoder-" + artifact.version(), device, "PyTorch");
    try {
      model.setBlock(EncoderBlocks.build(artifact, model.getNDManager()));
      return new LayerListEncoder(artifact.manifest(), model, device);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public float[][] embed(float[][] inputs) {
    if (inputs.length == 0) {
      return new float[0][];
    }
    try {
      return predictor.predict(inputs);
    } catch (TranslateException e) {
      throw new IllegalStateException("encoder failed on a batch of " + inputs.length, e);
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
