package io.pixelstream.trainer.cli;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.ModelManifest;
import io.pixelstream.core.model.ResizeMode;
import io.pixelstream.solr.SolrIndexBackend;
import io.pixelstream.solr.SolrIndexSettings;
import java.io.IOException;

/**
 * Loads {@code --data}: files through {@link DatasetSpec}, and {@code solr:} data through a
 * SolrCloud backend on the collection alias {@code --solr-alias} (default {@value #ALIAS}), so the
 * trainer retrains on what was ingested whichever index backend holds it.
 */
final class TrainingData {

  static final String ALIAS = "pixelstream";

  private TrainingData() {}

  static DatasetSpec.Split load(
      CliArgs cli,
      DatasetSpec data,
      InputShape shape,
      ResizeMode resize,
      int trainLimit,
      int testLimit)
      throws IOException {
    if (!data.kind().equals("solr")) {
      return data.load(shape, resize, trainLimit, testLimit);
    }
    SolrIndexSettings solr =
        SolrIndexSettings.forQueries(data.solr(), cli.get("solr-alias", ALIAS));
    try (IndexBackend backend = new SolrIndexBackend(solr)) {
      return data.load(shape, resize, trainLimit, testLimit, backend);
    }
  }

  /**
   * The held-out images the pixel baselines are computed on: {@code test} at the data's own shape
   * when it has one (a model's larger input, 3x224x224, would only make raw pixels slower to
   * cluster, not better), else {@code test} itself.
   */
  static LabelledImages baselineImages(CliArgs cli, LabelledImages test) throws IOException {
    DatasetSpec data = DatasetSpec.parse(cli.get("data", "fashion-mnist"));
    InputShape own = data.nativeShape();
    return own == null || own.equals(test.shape()) ? test : heldOut(cli, own, ResizeMode.STRETCH);
  }

  /**
   * The held-out images of {@code --data} (at most {@code --eval-limit}), as a model of {@code
   * shape} and {@code resize} takes them.
   */
  static LabelledImages heldOut(CliArgs cli, InputShape shape, ResizeMode resize)
      throws IOException {
    DatasetSpec data = DatasetSpec.parse(cli.get("data", "fashion-mnist"));
    return load(cli, data, shape, resize, 0, cli.getInt("eval-limit", 10_000)).test();
  }

  /** The held-out images as the model of {@code m} takes them. */
  static LabelledImages heldOut(CliArgs cli, ModelManifest m) throws IOException {
    return heldOut(cli, m.input(), m.resize());
  }
}
