package io.pixelstream.jobs.ingest;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink settings the ingestion job needs: exactly-once checkpoints (each one commits the index)
 * retained on cancellation so a killed job can be restored, parallelism = shard count, no silent
 * Kryo fallback, and network buffers between the embed step and the shards flushed after at most
 * {@link #BUFFER_TIMEOUT} (unless the configuration sets {@code
 * execution.buffer-timeout.interval}).
 */
public final class IngestEnvironment {

  /**
   * Flink's default, 100 ms, held a part-filled buffer of embedded images that long before the
   * shard saw them: a tenth of a second of freshness (docs/benchmarks.md).
   */
  static final Duration BUFFER_TIMEOUT = Duration.ofMillis(5);

  private IngestEnvironment() {}

  /** {@code base} plus the job's Flink settings derived from {@code s}. */
  public static Configuration flinkConfiguration(Configuration base, IngestSettings s) {
    Configuration conf = new Configuration(base);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    conf.set(CoreOptions.DEFAULT_PARALLELISM, s.parallelism());
    if (!base.contains(ExecutionOptions.BUFFER_TIMEOUT)) {
      conf.set(ExecutionOptions.BUFFER_TIMEOUT, BUFFER_TIMEOUT);
    }
    conf.set(
        CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(s.checkpointIntervalMs()));
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    if (s.checkpointDir() != null) {
      conf.set(
          CheckpointingOptions.CHECKPOINTS_DIRECTORY,
          Path.of(s.checkpointDir()).toAbsolutePath().toUri().toString());
    }
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    return conf;
  }

  /** Exports the job's metrics for Prometheus on {@code port} (Flink's reporter). */
  public static void reportToPrometheus(Configuration conf, String port) {
    conf.setString(
        "metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    conf.setString("metrics.reporter.prom.port", port);
  }

  /** Builds the job from {@code conf} ({@link IngestOptions}) and submits it as {@code name}. */
  public static JobClient executeAsync(Configuration conf, String name) throws Exception {
    IngestSettings settings = IngestSettings.from(conf);
    StreamExecutionEnvironment env = create(conf, settings);
    IngestJob.addTo(env, settings);
    return env.executeAsync(name);
  }

  /**
   * The execution environment (local MiniCluster from a plain JVM, the cluster under flink run).
   *
   * @throws IllegalArgumentException when neither the cluster nor {@code job.checkpoint-dir} names
   *     a checkpoint directory
   */
  public static StreamExecutionEnvironment create(Configuration base, IngestSettings s) {
    Configuration conf = flinkConfiguration(base, s);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.configure(conf);
    if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
      throw new IllegalArgumentException(
          "no checkpoint directory: set execution.checkpointing.dir in the Flink configuration"
              + " (flinkConfiguration of a FlinkDeployment) or --job.checkpoint-dir; checkpoints"
              + " are what commit the index");
    }
    env.setParallelism(s.parallelism());
    return env;
  }
}
