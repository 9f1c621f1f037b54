package io.pixelstream.jobs.ingest;

import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.watch.StandingWatches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model of each version the stream's images come with, read from the registry (or the fixed
 * model): what the match step embeds watch images with and the duplicate lookup compares with.
 * Holds one runtime, the last version asked for.
 */
final class VersionModels implements StandingWatches.Models, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VersionModels.class);

  /** Watch images per encoder call. */
  private static final int BATCH = 64;

  private final IngestSettings settings;
  private ModelRuntime runtime;

  VersionModels(IngestSettings settings) {
    this.settings = settings;
  }

  @Override
  public String similarity(String version) {
    return runtime(version).manifest().similarity();
  }

  @Override
  public float[][] embed(String version, List<byte[]> images) {
    ModelRuntime model = runtime(version);
    float[][] out = new float[images.size()][];
    List<float[]> inputs = new ArrayList<>();
    List<Integer> usable = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      try {
        inputs.add(model.preprocess(model.decode(images.get(i))));
        usable.add(i);
      } catch (RejectedInputException e) {
        LOG.warn("a watch image cannot be used with model {}: {}", version, e.getMessage());
      }
    }
    float[][] vectors = model.embedAll(inputs.toArray(new float[0][]), BATCH);
    for (int j = 0; j < vectors.length; j++) {
      out[usable.get(j)] = vectors[j];
    }
    return out;
  }

  private ModelRuntime runtime(String version) {
    if (runtime != null && runtime.version().equals(version)) {
      return runtime;
    }
    try {
      ModelArtifact start = settings.startModel();
      ModelArtifact artifact =
          start.version().equals(version) || settings.registry() == null
              ? start
              : settings.registry().read(version);
      close();
      runtime = settings.runtime(artifact);
      return runtime;
    } catch (IOException e) {
      throw new UncheckedIOException("reading model " + version + " to embed the watches", e);
    }
  }

  @Override
  public void close() {
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
  }
}
