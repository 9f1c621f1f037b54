package io.pixelstream.bench;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.jobs.ingest.IngestOptions;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.configuration.Configuration;

/**
 * The graph flags every harness that builds an index takes, read one way: {@code --max-conn},
 * {@code --beam-width} and {@code --vector-format}, each defaulting to {@link HnswOptions#DEFAULT}.
 */
final class HnswFlags {

  /** The flags' names, for {@link CliArgs#parse}. */
  static final Set<String> NAMES = Set.of("max-conn", "beam-width", "vector-format");

  private HnswFlags() {}

  /** {@code names} and the graph flags, for {@link CliArgs#parse}. */
  static Set<String> and(String... names) {
    Set<String> all = new HashSet<>(NAMES);
    all.addAll(Set.of(names));
    return all;
  }

  /** The graph options {@code cli} asks for. */
  static HnswOptions from(CliArgs cli) {
    return new HnswOptions(
        cli.getInt("max-conn", HnswOptions.DEFAULT.maxConn()),
        cli.getInt("beam-width", HnswOptions.DEFAULT.beamWidth()),
        cli.getChoice("vector-format", HnswOptions.DEFAULT.vectorFormat()));
  }

  /** Sets the ingest job's graph options to {@code hnsw}. */
  static void set(Configuration conf, HnswOptions hnsw) {
    conf.set(IngestOptions.HNSW_MAX_CONN, hnsw.maxConn());
    conf.set(IngestOptions.HNSW_BEAM_WIDTH, hnsw.beamWidth());
    conf.set(IngestOptions.VECTOR_FORMAT, hnsw.vectorFormat());
  }
}
