package io.pixelstream.bench;

import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.deploy.kafka.ParentWatch;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * The ingestion job as the harnesses run it: its settings on a work folder, the query API over the
 * same folder, and the job itself on a local MiniCluster, in this JVM or in a child JVM limited to
 * a share of the CPU ({@code bench/limit-cpu.sh}), so that the job alone runs as on a slower
 * machine while the broker, the query API and the harness keep theirs.
 */
public final class BenchJob {

  private static final Path LIMIT_CPU = Path.of("bench", "limit-cpu.sh");

  private BenchJob() {}

  /**
   * The job's settings on {@code work}: the model in {@code work/model}, the index and checkpoints
   * beside it, the job's defaults otherwise.
   */
  static Configuration conf(String bootstrap, Path work) {
    Configuration conf = new Configuration();
    conf.set(IngestOptions.BOOTSTRAP_SERVERS, bootstrap);
    conf.set(IngestOptions.MODEL_DIR, work.resolve("model").toString());
    conf.set(IngestOptions.INDEX_ROOT, work.resolve("index").toString());
    conf.set(IngestOptions.CHECKPOINT_DIR, work.resolve("checkpoints").toString());
    return conf;
  }

  /**
   * The query API over {@link #conf}'s model and index: 4 threads, 1 encoder, the default
   * candidates, looking for new commits every {@code refreshMs}.
   */
  static QueryOptions apiOptions(Path work, long refreshMs) {
    return new QueryOptions(
        0,
        work.resolve("model"),
        null,
        work.resolve("index"),
        4 << 20,
        100,
        SearchRequest.DEFAULT_CANDIDATES,
        4,
        1,
        refreshMs,
        ApiAccess.LOCAL,
        QueryOptions.Embedding.DEFAULT);
  }

  /** Starts the job on a local MiniCluster in this JVM and waits until it runs. */
  static JobClient start(Configuration conf, String name) throws Exception {
    JobClient job = IngestEnvironment.executeAsync(conf, name);
    while (job.getJobStatus().get() != JobStatus.RUNNING) {
      Thread.sleep(50);
    }
    return job;
  }

  /**
   * Starts the job in a child JVM with this JVM's options, in a cgroup limited to {@code cores}
   * (run from the repository root: it needs {@code bench/limit-cpu.sh}); its output goes to {@code
   * log}. It never outlives this JVM ({@link ParentWatch}); closing it stops it.
   */
  static AutoCloseable startLimited(Configuration conf, double cores, Path log) throws IOException {
    if (!(cores > 0)) {
      throw new IllegalArgumentException("cores must be > 0, got " + cores);
    }
    if (!Files.isExecutable(LIMIT_CPU)) {
      throw new IllegalStateException(
          LIMIT_CPU + " not found: run the harness from the repository root");
    }
    List<String> command = new ArrayList<>();
    command.add(LIMIT_CPU.toString());
    command.add(Double.toString(cores));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ParentWatch.class.getName());
    command.add(BenchJob.class.getName());
    conf.toMap().forEach((k, v) -> command.add(k + "=" + v));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return () -> {
      // the JVM under the script's shell first: the script then removes its cgroup
      child.descendants().forEach(ProcessHandle::destroy);
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly().waitFor();
      }
    };
  }

  /** The child JVM's entry: runs the job with the settings given as {@code key=value}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got " + arg);
      }
      settings.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    start(Configuration.fromMap(settings), "ingest-benchmark");
    Thread.currentThread().join(); // until the parent stops this JVM
  }
}
