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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads, checks and writes model artifact folders ({@code manifest.json} + {@code encoder.npz}).
 * Every read is checked in full before anything uses it: schema fields, the architecture's shapes
 * against the embedding size, each weight array's shape, the weights checksum and the centroids. A
 * broken artifact fails with an {@link InvalidArtifactException} that says what is wrong.
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
    String weightsName = manifest.weights().file();
    if (!weightsName.matches("[A-Za-z0-9._-]+") || weightsName.startsWith(".")) {
      throw new InvalidArtifactException(
          "weights.file must be a plain file name, got " + weightsName);
    }
    Path weightsFile = dir.resolve(weightsName);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(weightsFile);
    } catch (NoSuchFileException e) {
      throw new InvalidArtifactException("model weights file " + weightsFile + " is missing", e);
    } catch (IOException e) {
      throw new InvalidArtifactException("cannot read model weights " + weightsFile + ": " + e, e);
    }
    String sha = sha256(bytes);
    if (!sha.equalsIgnoreCase(manifest.weights().sha256())) {
      throw new InvalidArtifactException(
          "model weights "
              + weightsFile
              + " have SHA-256 "
              + sha
              + " but the manifest says "
              + manifest.weights().sha256());
    }
    Map<String, NdArray> weights =
        switch (manifest.encoderFormat()) {
          case LAYERS -> layerWeights(manifest, bytes, weightsFile);
        };
    return new ModelArtifact(manifest, weights);
  }

  private static Map<String, NdArray> layerWeights(
      ModelManifest manifest, byte[] npz, Path weightsFile) throws InvalidArtifactException {
    Map<String, NdArray> weights;
    try (InputStream in = new java.io.ByteArrayInputStream(npz)) {
      weights = Npz.read(in);
    } catch (IOException e) {
      throw new InvalidArtifactException("model weights " + weightsFile + ": " + e.getMessage(), e);
    }
    checkWeights(manifest, weights);
    return weights;
  }

  /**
   * Writes {@code artifact} into {@code dir} (created if needed): the weights first, then the
   * manifest with the weights' checksum filled in. Returns the artifact as written.
   */
  public static ModelArtifact write(Path dir, ModelArtifact artifact) throws IOException {
    checkManifestSansWeights(artifact.manifest());
    checkWeights(artifact.manifest(), artifact.weights());
    Files.createDirectories(dir);
    Map<String, NdArray> ordered = new LinkedHashMap<>();
    for (String key :
        Architecture.parameterShapes(
                artifact.manifest().input(), artifact.manifest().architecture())
            .keySet()) {
      ordered.put(key, artifact.weight(key));
    }
    byte[] npz = Npz.toBytes(ordered);
    Files.write(dir.resolve(WEIGHTS_FILE), npz);
    ModelManifest manifest =
        artifact.manifest().withWeights(new ModelManifest.Weights(WEIGHTS_FILE, sha256(npz)));
    Files.writeString(
        dir.resolve(ModelManifest.FILE_NAME), JSON.writeValueAsString(manifest) + "\n");
    return new ModelArtifact(manifest, artifact.weights());
  }

  private static void checkManifest(ModelManifest m) throws InvalidArtifactException {
    checkManifestSansWeights(m);
    if (m.weights() == null || m.weights().file() == null || m.weights().sha256() == null) {
      throw new InvalidArtifactException("manifest needs weights.file and weights.sha256");
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
      dim = Architecture.outputDim(m.input(), m.architecture());
    } catch (IllegalArgumentException e) {
      throw new InvalidArtifactException("manifest architecture: " + e.getMessage(), e);
    }
    if (dim != m.embeddingDim()) {
      throw new InvalidArtifactException(
          "architecture outputs " + dim + " values but embeddingDim is " + m.embeddingDim());
    }
  }

  private static void checkWeights(ModelManifest m, Map<String, NdArray> weights)
      throws InvalidArtifactException {
    for (Map.Entry<String, int[]> e :
        Architecture.parameterShapes(m.input(), m.architecture()).entrySet()) {
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

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
