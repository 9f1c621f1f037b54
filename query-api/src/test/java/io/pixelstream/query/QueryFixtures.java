package io.pixelstream.query;

import io.pixelstream.core.cli.InitModelCommand;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardedIndexWriter;
import io.pixelstream.core.model.ModelArtifact;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * A model and an index of Fashion-MNIST test images written by the shard writer the ingestion job
 * commits with, in 2 shards, committed in several steps; plus HTTP helpers.
 */
final class QueryFixtures {

  static final int SHARDS = 2;

  final ModelArtifact model;
  final LabelledImages images;
  final Path indexRoot;

  private QueryFixtures(ModelArtifact model, LabelledImages images, Path indexRoot) {
    this.model = model;
    this.images = images;
    this.indexRoot = indexRoot;
  }

  static String id(int i) {
    return "fmnist:t10k/" + String.format("%05d", i);
  }

  byte[] png(int i) {
    return ImageEncoding.png(images.pixels()[i], 1, 28, 28);
  }

  /** Random-init model (seed 42, 10 clusters fitted on 500 training images), {@code n} images. */
  static QueryFixtures build(Path work, int n) throws IOException {
    ModelArtifact model =
        InitModelCommand.create(
            work.resolve("model"), "q-model", 42, 10, 64, 500, IdxReader.FASHION_MNIST_DIR);
    LabelledImages images = IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, n);
    float[][] inputs =
        model
            .manifest()
            .normalization()
            .applyAll(images.pixels(), model.manifest().input().channels());
    float[][] vectors;
    try (ImageEncoder encoder = ImageEncoder.open(model, ImageEncoder.DeviceChoice.CPU)) {
      vectors = encoder.embedAll(inputs, 256);
    }
    Centroids centroids = new Centroids(model.manifest().clustering().centroids());
    Path root = work.resolve("index");
    QueryFixtures f = new QueryFixtures(model, images, root);
    try (ShardedIndexWriter writer = f.openWriter()) {
      for (int i = 0; i < n; i++) {
        writer.upsert(
            new IndexedImage(
                id(i),
                vectors[i],
                centroids.nearest(vectors[i]),
                images.labels()[i],
                "test",
                model.version(),
                System.currentTimeMillis(),
                0L,
                f.png(i)));
        if (i % 500 == 499) {
          writer.commit(); // several commits: several segments
        }
      }
      writer.commit();
    }
    return f;
  }

  /** A writer on the fixture's index, as the ingestion job would write it. */
  ShardedIndexWriter openWriter() throws IOException {
    return ShardedIndexWriter.open(
        indexRoot, model.version(), SHARDS, VectorSimilarityFunction.EUCLIDEAN);
  }

  /** Any free port, a 64 KiB upload cap, refresh every 100 ms. */
  QueryOptions options() {
    return options(8, ApiAccess.LOCAL);
  }

  /** As {@link #options()}, with {@code threads} request threads and {@code access}. */
  QueryOptions options(int threads, ApiAccess access) {
    return new QueryOptions(
        0,
        indexRoot.resolveSibling("model"),
        null,
        indexRoot,
        64 * 1024,
        100,
        100,
        threads,
        2,
        100,
        access,
        QueryOptions.Embedding.DEFAULT);
  }

  /** A tiny HTTP client for the tests. */
  record Http(int port, HttpClient client) {
    Http(int port) {
      this(port, HttpClient.newHttpClient());
    }

    HttpResponse<byte[]> get(String path) throws Exception {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> delete(String path) throws Exception {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).DELETE().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("Content-Type", contentType)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }
  }
}
