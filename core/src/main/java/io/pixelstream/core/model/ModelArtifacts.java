package io.pixelstream.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads, checks and writes model artifact folders ({@code manifest.json} + {@code encoder.npz}, and
 * {@code encoder.pt} or {@code encoder.onnx} for an encoder that starts with a model file). Every
 * read is checked in full before anything uses it: schema fields, the architecture's shapes against
 * the embedding size, each weight array's shape, the files' checksums and the centroids. A broken
 * artifact fails with an {@link InvalidArtifactException} that says what is wrong.
 */
public final class ModelArtifacts {

  /** Model versions name folders, so they are restricted to a safe alphabet. */
  public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public static final String WEIGHTS_FILE = "encoder.npz";
  private static final Set<String> SIMILARITIES = Set.of("EUCLIDEAN", "DOT_PRODUCT", "COSINE");

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelArtifacts() {}

  /** The JSON mapper used for manifests, shared so every writer formats alike. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** Reads and checks the artifact in {@code dir}. */
  public static ModelArtifact read(Path dir) throws InvalidArtifactException {
    Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
    ModelManifest manifest;
    try {
      manifest = JSON.readValue(manifestFile.toFile(), ModelManifest.class);
    } catch (JsonProcessingException e) {
      throw new InvalidArtifactException(
          "model manifest " + manifestFile + " is not valid: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidArtifactException(
          "cannot read model manifest " + manifestFile + ": " + e, e);
    }
    checkManifest(manifest);
    Map<String, NdArray> weights = Map.of();
    if (hasWeights(manifest)) {
      ModelManifest.Weights w = manifest.weights();
      Path weightsFile = checkedFile(dir, w.file(), w.sha256(), "weights");
      weights = layerWeights(manifest, weightsFile);
    }
    Path modelFile =
        switch (manifest.encoderFormat()) {
          case LAYERS -> null;
          case TORCHSCRIPT, ONNX -> {
            ModelManifest.ModelFile f = manifest.modelFile();
            yield checkedFile(dir, f.file(), f.sha256(), "modelFile");
          }
        };
    return new ModelArtifact(manifest, weights, modelFile);
  }

  /** {@code dir/name}, after checking it is a plain name, exists and has SHA-256 {@code sha}. */
  private static Path checkedFile(Path dir, String name, String sha, String field)
      throws InvalidArtifactException {
    if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new InvalidArtifactException(field + ".file must be a plain file name, got " + name);
    }
    Path file = dir.resolve(name);
    String actual;
    try {
      actual = sha256(file);
    } catch (NoSuchFileException e) {
      throw new InvalidArtifactException("model " + field + " file " + file + " is missing", e);
    } catch (IOException e) {
      throw new InvalidArtifactException("cannot read model " + field + " " + file + ": " + e, e);
    }
    if (!actual.equalsIgnoreCase(sha)) {
      throw new InvalidArtifactException(
          "model "
              + field
              + " file "
              + file
              + " has SHA-256 "
              + actual
              + " but the manifest says "
              + sha);
    }
    return file;
  }

  private static Map<String, NdArray> layerWeights(ModelManifest manifest, Path weightsFile)
      throws InvalidArtifactException {
    Map<String, NdArray> weights;
    try (InputStream in = Files.newInputStream(weightsFile)) {
      weights = Npz.read(in);
    } catch (IOException e) {
      throw new InvalidArtifactException("model weights " + weightsFile + ": " + e.getMessage(), e);
    }
    checkWeights(manifest, weights);
    return weights;
  }

  /**
   * Writes {@code artifact} into {@code dir} (created if needed): the layer weights and the model
   * file first, then the manifest with their checksums filled in. Returns the artifact as written.
   */
  public static ModelArtifact write(Path dir, ModelArtifact artifact) throws IOException {
    ModelManifest manifest = artifact.manifest();
    checkManifestSansWeights(manifest);
    checkWeights(manifest, artifact.weights());
    Files.createDirectories(dir);
    ModelManifest.Weights weights = null;
    if (hasWeights(manifest)) {
      Map<String, NdArray> ordered = new LinkedHashMap<>();
      for (String key :
          Architecture.parameterShapes(manifest.layersInput(), manifest.architecture()).keySet()) {
        ordered.put(key, artifact.weight(key));
      }
      byte[] npz = Npz.toBytes(ordered);
      Files.write(dir.resolve(WEIGHTS_FILE), npz);
      weights = new ModelManifest.Weights(WEIGHTS_FILE, sha256(npz));
    }
    manifest = manifest.withWeights(weights);
    Path modelFile = null;
    if (manifest.encoderFormat().hasModelFile()) {
      if (artifact.modelFile() == null) {
        throw new InvalidArtifactException(
            "a " + manifest.encoderFormat() + " artifact needs its model file");
      }
      modelFile = dir.resolve(manifest.encoderFormat().fileName());
      if (!Files.exists(modelFile) || !Files.isSameFile(artifact.modelFile(), modelFile)) {
        Files.copy(artifact.modelFile(), modelFile, StandardCopyOption.REPLACE_EXISTING);
      }
      manifest =
          manifest.withModelFile(
              new ModelManifest.ModelFile(
                  modelFile.getFileName().toString(),
                  sha256(modelFile),
                  manifest.modelFile().outputDim()));
    }
    Files.writeString(
        dir.resolve(ModelManifest.FILE_NAME), JSON.writeValueAsString(manifest) + "\n");
    return new ModelArtifact(manifest, artifact.weights(), modelFile);
  }

  private static void checkManifest(ModelManifest m) throws InvalidArtifactException {
    checkManifestSansWeights(m);
    if (hasWeights(m)
        && (m.weights() == null || m.weights().file() == null || m.weights().sha256() == null)) {
      throw new InvalidArtifactException("manifest needs weights.file and weights.sha256");
    }
    if (m.encoderFormat().hasModelFile()
        && (m.modelFile().file() == null || m.modelFile().sha256() == null)) {
      throw new InvalidArtifactException("manifest needs modelFile.file and modelFile.sha256");
    }
  }

  private static void checkManifestSansWeights(ModelManifest m) throws InvalidArtifactException {
    if (m.formatVersion() != ModelManifest.FORMAT_VERSION) {
      throw new InvalidArtifactException(
          "manifest formatVersion "
              + m.formatVersion()
              + " is not supported (expected "
              + ModelManifest.FORMAT_VERSION
              + ")");
    }
    if (m.version() == null || !VERSION.matcher(m.version()).matches()) {
      throw new InvalidArtifactException(
          "manifest version must match " + VERSION.pattern() + ", got " + m.version());
    }
    if (m.input() == null || m.normalization() == null) {
      throw new InvalidArtifactException("manifest needs input and normalization");
    }
    if (m.normalization().mean().length != m.input().channels()) {
      throw new InvalidArtifactException(
          "normalization has "
              + m.normalization().mean().length
              + " channels, input has "
              + m.input().channels());
    }
    if (m.similarity() == null || !SIMILARITIES.contains(m.similarity())) {
      throw new InvalidArtifactException(
          "manifest similarity must be one of " + SIMILARITIES + ", got " + m.similarity());
    }
    switch (m.encoderFormat()) {
      case LAYERS -> checkLayers(m);
      case TORCHSCRIPT, ONNX -> checkModelFile(m);
    }
    ModelManifest.Clustering c = m.clustering();
    if (c == null || c.centroids() == null || c.k() < 1 || c.centroids().length != c.k()) {
      throw new InvalidArtifactException("manifest clustering needs k >= 1 and k centroids");
    }
    for (float[] row : c.centroids()) {
      if (row == null || row.length != m.embeddingDim()) {
        throw new InvalidArtifactException(
            "every centroid must have embeddingDim = " + m.embeddingDim() + " values");
      }
      for (float v : row) {
        if (!Float.isFinite(v)) {
          throw new InvalidArtifactException("centroids hold a non-finite value");
        }
      }
    }
  }

  private static void checkLayers(ModelManifest m) throws InvalidArtifactException {
    int dim;
    try {
      dim = Architecture.outputDim(m.layersInput(), m.architecture());
    } catch (IllegalArgumentException e) {
      throw new InvalidArtifactException("manifest architecture: " + e.getMessage(), e);
    }
    if (dim != m.embeddingDim()) {
      throw new InvalidArtifactException(
          "architecture outputs " + dim + " values but embeddingDim is " + m.embeddingDim());
    }
  }

  /** Whether the layers have arrays (an empty list or a lone l2normalize has none). */
  private static boolean hasWeights(ModelManifest m) {
    return !m.architecture().isEmpty()
        && !Architecture.parameterShapes(m.layersInput(), m.architecture()).isEmpty();
  }

  private static void checkModelFile(ModelManifest m) throws InvalidArtifactException {
    ModelManifest.ModelFile f = m.modelFile();
    if (f == null || f.outputDim() < 1) {
      throw new InvalidArtifactException(
          "a " + m.encoderFormat() + " manifest needs modelFile with outputDim >= 1");
    }
    if (m.architecture().isEmpty()) {
      if (f.outputDim() != m.embeddingDim()) {
        throw new InvalidArtifactException(
            "modelFile outputs "
                + f.outputDim()
                + " values but embeddingDim is "
                + m.embeddingDim());
      }
      return;
    }
    checkLayers(m);
  }

  private static void checkWeights(ModelManifest m, Map<String, NdArray> weights)
      throws InvalidArtifactException {
    if (m.architecture().isEmpty()) {
      return;
    }
    for (Map.Entry<String, int[]> e :
        Architecture.parameterShapes(m.layersInput(), m.architecture()).entrySet()) {
      NdArray a = weights.get(e.getKey());
      if (a == null) {
        throw new InvalidArtifactException("weights hold no array '" + e.getKey() + "'");
      }
      if (!a.hasShape(e.getValue())) {
        throw new InvalidArtifactException(
            "weight '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(a.shape())
                + ", expected "
                + Arrays.toString(e.getValue()));
      }
      for (float v : a.data()) {
        if (!Float.isFinite(v)) {
          throw new InvalidArtifactException(
              "weight '" + e.getKey() + "' holds a non-finite value");
        }
      }
    }
  }

  /** Hex SHA-256 of the file {@code file}, read as a stream. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
