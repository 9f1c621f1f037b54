package io.pixelstream.trainer.metrics;

import com.sun.net.httpserver.HttpServer;
import io.pixelstream.core.registry.ModelRegistry;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The trainer's Prometheus metrics, served on {@code /metrics} while {@code trainer schedule} runs:
 * quality per registered version and the gate's decisions (both read from the registry's history at
 * each scrape, so they cover runs of other trainer processes too), the current version, and the
 * last scheduled run's time, duration and outcome. Names start with {@code pixelstream_trainer_}.
 */
public final class TrainerMetrics implements AutoCloseable {

  private final ModelRegistry registry;
  private final PrometheusRegistry prometheus = new PrometheusRegistry();
  private final Map<String, Long> outcomes = new ConcurrentHashMap<>();
  private volatile double lastRunEnd = Double.NaN;
  private volatile double lastRunSeconds = Double.NaN;
  private HttpServer server;

  public TrainerMetrics(ModelRegistry registry) {
    this.registry = registry;
    quality("nmi", "nmi", "Mean NMI over k-means seeds on the held-out set, per version");
    quality("rand_index", "randIndex", "Mean Rand index on the held-out set, per version");
    quality("precision_at_10", "precisionAt10", "Retrieval precision@10, per version");
    CounterWithCallback.builder()
        .name("pixelstream_trainer_decisions_total")
        .help("Registry decisions by kind: promote, reject, rollback, failed-run")
        .labelNames("decision")
        .callback(
            cb -> {
              Map<String, Long> counts = new LinkedHashMap<>();
              for (String d : List.of("promote", "reject", "rollback", "failed-run")) {
                counts.put(d, 0L);
              }
              history().forEach(e -> counts.computeIfPresent(action(e), (k, n) -> n + 1));
              counts.forEach((d, n) -> cb.call(n, d));
            })
        .register(prometheus);
    GaugeWithCallback.builder()
        .name("pixelstream_trainer_current_model")
        .help("1 for the registry's current version")
        .labelNames("version")
        .callback(
            cb -> {
              try {
                registry.current().ifPresent(v -> cb.call(1, v));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .register(prometheus);
    GaugeWithCallback.builder()
        .name("pixelstream_trainer_last_run_end_seconds")
        .help("Unix time the last scheduled run ended (NaN before the first)")
        .callback(cb -> cb.call(lastRunEnd))
        .register(prometheus);
    GaugeWithCallback.builder()
        .name("pixelstream_trainer_last_run_duration_seconds")
        .help("Seconds the last scheduled run took: train, evaluate, gate")
        .callback(cb -> cb.call(lastRunSeconds))
        .register(prometheus);
    CounterWithCallback.builder()
        .name("pixelstream_trainer_runs_total")
        .help("Scheduled runs of this process by outcome: promoted, rejected, failed")
        .labelNames("outcome")
        .callback(
            cb -> {
              for (String o : List.of("promoted", "rejected", "failed")) {
                cb.call(outcomes.getOrDefault(o, 0L), o);
              }
            })
        .register(prometheus);
  }

  private void quality(String name, String key, String help) {
    GaugeWithCallback.builder()
        .name("pixelstream_trainer_model_" + name)
        .help(help)
        .labelNames("version")
        .callback(
            cb ->
                registered(
                    (version, evaluation) -> {
                      Object v = evaluation.get(key);
                      if (v instanceof Number n) {
                        cb.call(n.doubleValue(), version);
                      }
                    }))
        .register(prometheus);
  }

  /** Each registered version with its evaluation, the last registration of a version winning. */
  private void registered(BiConsumer<String, Map<?, ?>> each) {
    Map<String, Map<?, ?>> byVersion = new LinkedHashMap<>();
    for (Map<String, Object> e : history()) {
      if ("register".equals(action(e)) && e.get("evaluation") instanceof Map<?, ?> m) {
        byVersion.put(String.valueOf(e.get("version")), m);
      }
    }
    byVersion.forEach(each);
  }

  private List<Map<String, Object>> history() {
    try {
      return registry.history();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String action(Map<String, Object> entry) {
    return String.valueOf(entry.get("action"));
  }

  /**
   * Records a finished scheduled run.
   *
   * @param outcome {@code promoted}, {@code rejected} or {@code failed}
   */
  public void runEnded(String outcome, double seconds) {
    outcomes.merge(outcome, 1L, Long::sum);
    lastRunSeconds = seconds;
    lastRunEnd = System.currentTimeMillis() / 1000.0;
  }

  /** The metrics in Prometheus' text format. */
  public void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, prometheus.scrape());
  }

  /** Serves {@code /metrics} on {@code host:port} (port 0: any free one); returns the port. */
  public int serve(String host, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
    server.createContext(
        "/metrics",
        ex -> {
          try (ex) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            write(body);
            ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
            ex.sendResponseHeaders(200, body.size());
            ex.getResponseBody().write(body.toByteArray());
          }
        });
    server.start();
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
