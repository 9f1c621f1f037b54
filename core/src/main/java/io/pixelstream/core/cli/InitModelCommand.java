package io.pixelstream.core.cli;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.cluster.KMeans;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.model.ModelArtifacts;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.RandomModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a deterministic randomly-initialised model artifact, so the pipeline runs before any
 * training. With {@code --fit-images N > 0} the k-means centroids are fitted on the embeddings of
 * the first N Fashion-MNIST training images (so clusters mean something); with 0 they are Gaussian.
 *
 * <pre>
 * java -cp core.jar io.pixelstream.core.cli.InitModelCommand --out models/random-42 --seed 42
 * </pre>
 */
public final class InitModelCommand {

  /** Fashion-MNIST's pixel mean and standard deviation (training set). */
  public static final Normalization FASHION_MNIST =
      new Normalization(1.0 / 255.0, new double[] {0.2860}, new double[] {0.3530});

  private static final String USAGE =
      """
      Usage: init-model --out DIR [--version V] [--seed 42] [--k 10] [--embedding-dim 64]
                        [--fit-images 2000] [--data /usr/share/datasets/fashion-mnist]
        Writes a randomly initialised 1x28x28 encoder (deterministic for a seed) as a model artifact.
        --fit-images N  fit the k-means centroids on N training images (0: Gaussian centroids)
      """;

  private InitModelCommand() {}

  public static void main(String[] args) {
    try {
      CliArgs cli =
          CliArgs.parse(
              args, Set.of("out", "version", "seed", "k", "embedding-dim", "fit-images", "data"));
      if (cli.helpRequested()) {
        System.out.print(USAGE);
        return;
      }
      long seed = cli.getLong("seed", 42);
      ModelArtifact written =
          create(
              Path.of(cli.required("out")),
              cli.get("version", "random-" + seed),
              seed,
              cli.getInt("k", 10),
              cli.getInt("embedding-dim", 64),
              cli.getInt("fit-images", 2000),
              Path.of(cli.get("data", IdxReader.FASHION_MNIST_DIR.toString())));
      System.out.println("wrote model " + written.version() + " to " + cli.required("out"));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("init-model: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    }
  }

  /** Creates and writes the artifact; see the class comment. */
  public static ModelArtifact create(
      Path out, String version, long seed, int k, int embeddingDim, int fitImages, Path data)
      throws IOException {
    EncoderSpec spec =
        new EncoderSpec(
            EncoderSpec.fashionMnist().input(), new int[] {16, 32}, embeddingDim, false);
    ModelArtifact artifact =
        RandomModel.create(version, Instant.now().toString(), spec, FASHION_MNIST, k, seed);
    if (fitImages > 0) {
      LabelledImages images = IdxReader.fashionMnist(data, true, fitImages);
      float[][] embeddings = ImageEncoder.embedPixels(artifact, images.pixels());
      Centroids centroids = KMeans.fit(embeddings, k, seed);
      Map<String, Object> training = new LinkedHashMap<>(artifact.manifest().training());
      training.put("centroidsFittedOn", "fashion-mnist train[0:" + images.size() + "]");
      ModelManifest m =
          artifact
              .manifest()
              .withClustering(new ModelManifest.Clustering(k, centroids.toArray()))
              .withTraining(training);
      artifact = artifact.withManifest(m);
    }
    return ModelArtifacts.write(out, artifact);
  }
}
