package io.pixelstream.bench;

import io.pixelstream.core.io.ThreadNiceness;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.deploy.kafka.ParentWatch;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import io.pixelstream.jobs.ingest.IngestOptions;
import io.pixelstream.query.ApiAccess;
import io.pixelstream.query.QueryOptions;
import io.pixelstream.query.QueryServer;
import io.pixelstream.query.QueryService;
import io.pixelstream.query.WatchOptions;
import java.io.IOException;
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
 * same folder, and the job itself on a local MiniCluster, in this JVM or in a child JVM, limited to
 * a share of the CPU ({@code bench/limit-cpu.sh}) so that the job alone runs as on a slower machine
 * while the broker, the query API and the harness keep theirs, or at a lower OS priority than them.
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

  /** The query API a harness measures through: its port; closing it stops it. */
  record RunningApi(int port, AutoCloseable stopper) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      stopper.close();
    }
  }

  /**
   * Starts the query API of {@link #apiOptions} over {@code work}, in this JVM or, when {@code
   * ownJvm}, in a JVM of its own as deployed (a 1 GiB heap; its log in {@code work/api}); with
   * {@code kafka} (may be null) it keeps watches and reads fresh images there.
   */
  static RunningApi startApi(Path work, long refreshMs, boolean ownJvm, WatchOptions kafka)
      throws Exception {
    QueryOptions options = apiOptions(work, refreshMs).withWatches(kafka);
    if (ownJvm && kafka != null) {
      throw new IllegalArgumentException("--api-jvm own does not pass Kafka settings on");
    }
    if (ownJvm) {
      QueryApiProcess process =
          QueryApiProcess.start(
              options.modelDir(),
              options.indexRoot(),
              work.resolve("api"),
              "1g",
              List.of(
                  "--threads",
                  Integer.toString(options.threads()),
                  "--encoders",
                  Integer.toString(options.encoders()),
                  "--candidates",
                  Integer.toString(options.candidates()),
                  "--refresh-ms",
                  Long.toString(options.refreshMillis())));
      return new RunningApi(process.port(), process);
    }
    QueryService service = QueryService.open(options);
    QueryServer server = QueryServer.start(options, service);
    return new RunningApi(
        server.port(),
        () -> {
          server.close();
          service.close();
        });
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
   * Starts the job in a child JVM with this JVM's options: in a cgroup limited to {@code cores}
   * when that is above 0 (run from the repository root: it needs {@code bench/limit-cpu.sh}), at OS
   * priority {@code nice} (0-19; every thread of the child inherits it) when that is above 0. Its
   * output goes to {@code log}. It never outlives this JVM ({@link ParentWatch}); closing it stops
   * it.
   */
  static AutoCloseable startInChild(Configuration conf, double cores, int nice, Path log)
      throws IOException {
    if (nice < 0 || nice > ThreadNiceness.MAX_NICE) {
      throw new IllegalArgumentException(
          "nice must be in 0.." + ThreadNiceness.MAX_NICE + ", got " + nice);
    }
    List<String> command = new ArrayList<>();
    if (nice > 0) {
      command.addAll(List.of("nice", "-n", Integer.toString(nice)));
    }
    if (cores > 0) {
      if (!Files.isExecutable(LIMIT_CPU)) {
        throw new IllegalStateException(
            LIMIT_CPU + " not found: run the harness from the repository root");
      }
      command.add(LIMIT_CPU.toString());
      command.add(Double.toString(cores));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ChildJvmOptions.inherited(true));
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
      // the JVM under limit-cpu.sh's shell, not the shell: the script then removes its cgroup
      List<ProcessHandle> below = child.descendants().toList();
      if (below.isEmpty()) {
        child.destroy();
      } else {
        below.forEach(ProcessHandle::destroy);
      }
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
