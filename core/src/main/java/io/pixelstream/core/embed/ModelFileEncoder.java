package io.pixelstream.core.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.pixelstream.core.io.NativeHeap;
import io.pixelstream.core.io.NativeStderr;
import io.pixelstream.core.model.EncoderFormat;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@link EncoderFormat#TORCHSCRIPT} and {@link EncoderFormat#ONNX} kinds: the artifact's model
 * file loaded through DJL's {@link Criteria} by the format's engine (PyTorch, or ONNX Runtime), and
 * the manifest's layers, when it has any, run on the file's output by a {@link LayerListEncoder}.
 * Both engines run one intra-op thread per encoder, as the layer lists do: throughput scales with
 * encoders (threads), and two threads on two cores collapse at batch 1. Not thread-safe.
 */
final class ModelFileEncoder implements ImageEncoder {

  private final ModelManifest manifest;
  private final ZooModel<float[][], float[][]> model;
  private final Predictor<float[][], float[][]> predictor;
  private final ImageEncoder head;

  private ModelFileEncoder(
      ModelManifest manifest, ZooModel<float[][], float[][]> model, ImageEncoder head) {
    this.manifest = manifest;
    this.model = model;
    this.head = head;
    this.predictor = model.newPredictor();
  }

  static ModelFileEncoder open(ModelArtifact artifact, DeviceChoice choice) {
    ModelManifest m = artifact.manifest();
    Device device = choice.resolve(Engine.getEngine(m.encoderFormat().engine()));
    ZooModel<float[][], float[][]> model =
        load(artifact.modelFile(), m.encoderFormat(), m.input(), device);
    ImageEncoder head = null;
    try {
      if (!m.architecture().isEmpty()) {
        head = LayerListEncoder.open(artifact, choice);
      }
      return new ModelFileEncoder(m, model, head);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Loads {@code file} with {@code format}'s engine on {@code device}, taking batches of {@code
   * input} images.
   *
   * @throws IllegalArgumentException naming the file when the engine cannot load it
   */
  static ZooModel<float[][], float[][]> load(
      Path file, EncoderFormat format, InputShape input, Device device) {
    NativeHeap.keepFreedMemory(); // the engines' temporaries, see there
    Criteria<float[][], float[][]> criteria =
        Criteria.builder()
            .setTypes(float[][].class, float[][].class)
            .optModelPath(file)
            .optEngine(format.engine())
            .optDevice(device)
            .optTranslator(
                new EmbeddingTranslator(
                    new int[] {input.channels(), input.height(), input.width()}))
            .optOption("mapLocation", "true")
            .optOption("interOpNumThreads", "1")
            .optOption("intraOpNumThreads", "1")
            .build();
    try {
      // the engines' once-per-process notices go to the log, not the console (see NativeStderr)
      return NativeStderr.toLogWhile(
          () -> {
            try {
              return criteria.loadModel();
            } catch (ModelNotFoundException | MalformedModelException | IOException e) {
              throw new IllegalArgumentException(notLoadable(file, format, e), e);
            }
          });
    } catch (EngineException e) {
      throw new IllegalArgumentException(notLoadable(file, format, e), e);
    }
  }

  private static String notLoadable(Path file, EncoderFormat format, Exception e) {
    return file + " is not a " + format + " model " + format.engine() + " can load: " + brief(e);
  }

  /** The first line of {@code e}'s message (engines' messages run to pages), at most 300 chars. */
  static String brief(Throwable e) {
    String m = String.valueOf(e.getMessage()).strip();
    int line = m.indexOf('\n');
    if (line > 0) {
      m = m.substring(0, line);
    }
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Device device() {
    return model.getNDManager().getDevice();
  }

  @Override
  public float[][] embed(float[][] inputs) {
    if (inputs.length == 0) {
      return new float[0][];
    }
    float[][] features;
    try {
      features = predictor.predict(inputs);
    } catch (TranslateException e) {
      throw new IllegalStateException("encoder failed on a batch of " + inputs.length, e);
    }
    return head == null ? features : head.embed(features);
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
    if (head != null) {
      head.close();
    }
  }
}
