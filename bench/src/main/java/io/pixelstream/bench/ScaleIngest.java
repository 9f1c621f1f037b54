package io.pixelstream.bench;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.io.ProcessMemory;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.jobs.ingest.IngestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;

/**
 * The ingest half of {@link ScaleBenchmark}: the images produced to the broker before the job
 * starts, the job's run through the backlog (per tenth, and where its cores went), freshness at a
 * steady rate on top of the full index, and stopping the job.
 */
final class ScaleIngest {

  /** Images made at once on every core, then sent in order. */
  private static final int PRODUCE_CHUNK = 10_000;

  /** One image in this many is followed through the query API during the freshness run. */
  private static final int API_SAMPLE_EVERY = 20;

  private ScaleIngest() {}

  /** Sends images {@code 0..n-1} as {@code scale/<i>}; returns the seconds it took. */
  static double produce(String bootstrap, ScaleImages data, int n) {
    long start = System.nanoTime();
    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      for (int from = 0; from < n; from += PRODUCE_CHUNK) {
        byte[][] pngs =
            IntStream.range(from, Math.min(n, from + PRODUCE_CHUNK))
                .parallel()
                .mapToObj(data::png)
                .toArray(byte[][]::new);
        for (int i = 0; i < pngs.length; i++) {
          producer.send(ScaleBenchmark.id(from + i), pngs[i], data.label(from + i));
        }
      }
      producer.flush();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("produced %,d images in %.1f s%n", n, seconds);
    return seconds;
  }

  /**
   * The job's settings: {@link BenchJob#conf}'s, the graph parameters and vector format, metrics on
   * a port.
   */
  static Configuration jobConf(String bootstrap, Path work, HnswOptions hnsw, int metricsPort) {
    Configuration conf = BenchJob.conf(bootstrap, work);
    HnswFlags.set(conf, hnsw);
    IngestEnvironment.reportToPrometheus(conf, Integer.toString(metricsPort));
    // a cancelled task closes its shard, which waits for a running merge: an HNSW merge at 1M
    // takes minutes, and Flink's default 180 s would fail the task manager
    conf.set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ZERO);
    return conf;
  }

  /**
   * Starts the job on the backlog of {@code n} images and waits until all are visible; puts the
   * rate overall and per tenth, the cores each stage kept busy and the job's RSS into {@code
   * result}.
   */
  static JobClient run(
      Configuration conf,
      IndexProgress progress,
      int n,
      int metricsPort,
      Map<String, Object> result)
      throws Exception {
    long start = System.currentTimeMillis();
    JobClient job = BenchJob.start(conf, "scale-benchmark");
    try {
      measure(progress, n, metricsPort, start, result);
      return job;
    } catch (Exception | Error e) {
      stop(job); // a job left running would write into a folder about to be deleted
      throw e;
    }
  }

  private static void measure(
      IndexProgress progress, int n, int metricsPort, long start, Map<String, Object> result)
      throws Exception {
    long last = progress.awaitDocuments(n, Math.max(600_000L, n * 2L));
    // a new job's stage times start at zero; its metrics server may not answer before it ran
    Map<String, Double> total = JobStageTimes.read(metricsPort);
    double rate = n * 1000.0 / (last - start);
    Map<String, Double> busy = new LinkedHashMap<>();
    for (String stage : JobStageTimes.STAGES.keySet()) {
      busy.put(stage, total.get(stage) / ((last - start) * 1e6));
    }
    List<Double> perTenth = new ArrayList<>();
    long previous = start;
    for (long at : progress.reachedAt().subList(0, 10)) {
      perTenth.add(n / 10 * 1000.0 / Math.max(1, at - previous));
      previous = at;
    }
    System.out.printf(
        "ingested %,d images in %.1f s = %.0f images/s; per tenth: %s; cores busy: %s%n",
        n, (last - start) / 1e3, rate, perTenth.stream().map(Math::round).toList(), busy);
    result.put("indexed", n);
    result.put("ingest_images_per_s", rate);
    result.put("ingest_images_per_s_per_tenth", perTenth);
    result.put("ingest_cores_busy_by_stage", busy);
    result.put("job_rss_mib_after_ingest", ProcessMemory.residentBytes() / 1048576.0);
  }

  /**
   * Produce -> answerable through the API at {@code rate} on top of the full index: images {@code
   * n..}, ids {@code fresh/<i>}, the first {@code warmup} seconds not counted; with the job's
   * stages over the run.
   */
  static Map<String, Object> freshness(
      String bootstrap,
      int apiPort,
      int metricsPort,
      ScaleImages data,
      int n,
      int rate,
      int warmup,
      int steady)
      throws Exception {
    int total = rate * (warmup + steady);
    int skip = rate * warmup;
    byte[][] pngs = new byte[total][];
    int[] labels = new int[total];
    for (int i = 0; i < total; i++) {
      pngs[i] = data.png(n + i);
      labels[i] = data.label(n + i);
    }
    FreshnessStages.Reading before = FreshnessStages.read(metricsPort, apiPort);
    double[] ms;
    try (ImageProducer producer = new ImageProducer(bootstrap, "images")) {
      ms =
          ApiVisibilityProbe.measure(
              producer, apiPort, "fresh/", pngs, labels, total, rate, skip, API_SAMPLE_EVERY, 1);
    }
    System.out.printf(
        "freshness at %d images/s, through the API (%d sampled): p50 %.0f p99 %.0f ms%n",
        rate, ms.length, Stats.percentile(ms, 50), Stats.percentile(ms, 99));
    Map<String, List<double[]>> stages = new LinkedHashMap<>();
    FreshnessStages.print(before, FreshnessStages.read(metricsPort, apiPort), stages);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("freshness_p50_ms", Stats.percentile(ms, 50));
    out.put("freshness_p99_ms", Stats.percentile(ms, 99));
    out.put("freshness_stages", stages);
    return out;
  }

  /** Cancels the job and waits until its tasks closed their shards (running merges end first). */
  static void stop(JobClient job) throws Exception {
    job.cancel().get();
    try {
      job.getJobExecutionResult().get(); // completes once the job is terminal: here, cancelled
    } catch (ExecutionException cancelled) {
      // the expected end; the local cluster shuts down with the job, so nothing more to ask it
    }
  }
}
