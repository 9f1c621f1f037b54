package io.pixelstream.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a model artifact folder; its JSON Schema is {@code
 * schemas/model-manifest.schema.json}. Immutable; build variants with the {@code with*} methods.
 *
 * @param formatVersion version of this manifest format, currently {@link #FORMAT_VERSION}
 * @param version the model version, unique in a registry; also names the index folder
 * @param created ISO-8601 instant the artifact was written
 * @param input the encoder's input shape
 * @param normalization how 8-bit pixels become model input
 * @param embeddingDim length of the embedding (the encoder's output)
 * @param similarity Lucene vector similarity for the index: EUCLIDEAN, DOT_PRODUCT or COSINE
 * @param architecture the encoder's layers, in order
 * @param weights the weights file and its checksum
 * @param clustering the k-means centroids in embedding space
 * @param training free-form facts about training (data, epochs, losses)
 * @param evaluation free-form evaluation metrics (NMI, RI, precision@10, ...)
 * @param encoderFormat what kind of encoder the artifact holds; absent (null) reads as {@link
 *     EncoderFormat#LAYERS}
 * @param modelFile the TorchScript or ONNX file a {@link EncoderFormat#hasModelFile()} encoder
 *     starts with; null for {@link EncoderFormat#LAYERS}
 * @param resize how an image of another size becomes the input's; absent (null) reads as {@link
 *     ResizeMode#STRETCH}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
    int formatVersion,
    String version,
    String created,
    InputShape input,
    Normalization normalization,
    int embeddingDim,
    String similarity,
    List<Layer> architecture,
    Weights weights,
    Clustering clustering,
    Map<String, Object> training,
    Map<String, Object> evaluation,
    EncoderFormat encoderFormat,
    ModelFile modelFile,
    ResizeMode resize) {

  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "manifest.json";

  public ModelManifest {
    architecture = architecture == null ? List.of() : List.copyOf(architecture);
    training = training == null ? Map.of() : Map.copyOf(training);
    evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
    encoderFormat = encoderFormat == null ? EncoderFormat.LAYERS : encoderFormat;
    resize = resize == null ? ResizeMode.STRETCH : resize;
  }

  /**
   * The manifest of an encoder that starts with a model file of {@code format} giving {@code
   * fileDim} values per image, followed by {@code layers} (possibly none) giving {@code
   * embeddingDim}; similarity {@code EUCLIDEAN}. Its clustering is one zero centroid, a placeholder
   * until the centroids are fitted on its embeddings ({@link #withClustering}); checksums are
   * filled in when the artifact is written.
   */
  public static ModelManifest ofModelFile(
      String version,
      String created,
      InputShape input,
      Normalization normalization,
      EncoderFormat format,
      int fileDim,
      int embeddingDim,
      List<Layer> layers,
      Map<String, Object> training) {
    return new ModelManifest(
        FORMAT_VERSION,
        version,
        created,
        input,
        normalization,
        embeddingDim,
        "EUCLIDEAN",
        layers,
        null,
        new Clustering(1, new float[1][embeddingDim]),
        training,
        Map.of(),
        format,
        new ModelFile(format.fileName(), null, fileDim),
        ResizeMode.STRETCH);
  }

  /** The weights file, relative to the artifact folder, and its SHA-256 in hex. */
  public record Weights(String file, String sha256) {}

  /**
   * The encoder's model file, relative to the artifact folder, its SHA-256 in hex, and the length
   * of the vector it gives per image (the input of the {@code architecture}'s layers, if any).
   */
  public record ModelFile(String file, String sha256, int outputDim) {}

  /**
   * The shape the {@code architecture}'s first layer takes: the image ({@code [C, H, W]}) for
   * {@link EncoderFormat#LAYERS}, the model file's output vector ({@code [outputDim]}) otherwise.
   */
  public int[] layersInput() {
    if (encoderFormat.hasModelFile()) {
      return new int[] {modelFile == null ? 0 : modelFile.outputDim()};
    }
    return new int[] {input.channels(), input.height(), input.width()};
  }

  /** k-means centroids, {@code k} rows of {@code embeddingDim} values. */
  public record Clustering(int k, float[][] centroids) {}

  public ModelManifest withWeights(Weights w) {
    return new ModelManifest(
        formatVersion,
        version,
        created,
        input,
        normalization,
        embeddingDim,
        similarity,
        architecture,
        w,
        clustering,
        training,
        evaluation,
        encoderFormat,
        modelFile,
        resize);
  }

  public ModelManifest withClustering(Clustering c) {
    return new ModelManifest(
        formatVersion,
        version,
        created,
        input,
        normalization,
        embeddingDim,
        similarity,
        architecture,
        weights,
        c,
        training,
        evaluation,
        encoderFormat,
        modelFile,
        resize);
  }

  public ModelManifest withTraining(Map<String, Object> t) {
    return new ModelManifest(
        formatVersion,
        version,
        created,
        input,
        normalization,
        embeddingDim,
        similarity,
        architecture,
        weights,
        clustering,
        t,
        evaluation,
        encoderFormat,
        modelFile,
        resize);
  }

  public ModelManifest withEvaluation(Map<String, Object> e) {
    return new ModelManifest(
        formatVersion,
        version,
        created,
        input,
        normalization,
        embeddingDim,
        similarity,
        architecture,
        weights,
        clustering,
        training,
        e,
        encoderFormat,
        modelFile,
        resize);
  }

  public ModelManifest withModelFile(ModelFile f) {
    return new ModelManifest(
        formatVersion,
        version,
        created,
        input,
        normalization,
        embeddingDim,
        similarity,
        architecture,
        weights,
        clustering,
        training,
        evaluation,
        encoderFormat,
        f,
        resize);
  }

  public ModelManifest withResize(ResizeMode r) {
    return new ModelManifest(
        formatVersion,
        version,
        created,
        input,
        normalization,
        embeddingDim,
        similarity,
        architecture,
        weights,
        clustering,
        training,
        evaluation,
        encoderFormat,
        modelFile,
        r);
  }
}
