package io.pixelstream.query;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The service's Prometheus metrics: requests by endpoint and status, latency histograms by
 * endpoint, index size and searcher age. Names start with {@code pixelstream_query_}.
 */
final class QueryMetrics {

  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** Seconds: fine up to a second, where the freshness target lies. */
  private static final double[] REFRESH_BUCKETS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram latency;

  QueryMetrics(QueryService service) {
    requests =
        Counter.builder()
            .name("pixelstream_query_requests_total")
            .help("HTTP requests by endpoint and status code")
            .labelNames("endpoint", "status")
            .register(registry);
    latency =
        Histogram.builder()
            .name("pixelstream_query_latency_seconds")
            .help("HTTP request latency by endpoint and status, from request to response sent")
            .labelNames("endpoint", "status")
            .classicOnly()
            .classicUpperBounds(
                0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    GaugeWithCallback.builder()
        .name("pixelstream_query_index_documents")
        .help("Documents visible to searches")
        .callback(
            cb -> {
              try {
                cb.call(service.documents());
              } catch (IOException e) {
                cb.call(Double.NaN);
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("pixelstream_query_model_switches_total")
        .help("Times the server switched to the model version the index alias moved to")
        .callback(cb -> cb.call(service.modelSwitches()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("pixelstream_query_serving_model")
        .help("1 for the model version served now")
        .labelNames("version")
        .callback(cb -> cb.call(1, service.modelVersion()))
        .register(registry);
    Histogram refreshLag =
        Histogram.builder()
            .name("pixelstream_query_refresh_lag_seconds")
            .help("From a commit or publish appearing on disk to the searcher that shows it")
            .classicOnly()
            .classicUpperBounds(REFRESH_BUCKETS)
            .register(registry);
    Histogram refreshOpen =
        Histogram.builder()
            .name("pixelstream_query_refresh_open_seconds")
            .help("Time to open a searcher over new commits (part of the refresh lag)")
            .classicOnly()
            .classicUpperBounds(REFRESH_BUCKETS)
            .register(registry);
    service.onRefresh(
        (lagMs, openMs) -> {
          if (lagMs >= 0) {
            refreshLag.observe(lagMs / 1000.0);
          }
          refreshOpen.observe(openMs / 1000.0);
        });
    GaugeWithCallback.builder()
        .name("pixelstream_query_searcher_age_seconds")
        .help("Seconds since the searcher last changed (new commits open a new one)")
        .callback(cb -> cb.call(service.searcherAgeMillis() / 1000.0))
        .register(registry);
    FreshFeed fresh = service.freshFeed();
    if (fresh != null) {
      Histogram freshLag =
          Histogram.builder()
              .name("pixelstream_query_fresh_lag_seconds")
              .help(
                  "From an image's timestamp in the images topic to searches seeing it through"
                      + " the fresh topic, per record read (the producer's clock against this"
                      + " API's)")
              .classicOnly()
              .classicUpperBounds(REFRESH_BUCKETS)
              .register(registry);
      Histogram freshDelivery =
          Histogram.builder()
              .name("pixelstream_query_fresh_delivery_seconds")
              .help(
                  "From the job writing a fresh image to searches seeing it (part of the fresh"
                      + " lag; the job's clock against this API's)")
              .classicOnly()
              .classicUpperBounds(REFRESH_BUCKETS)
              .register(registry);
      fresh.onHeld(
          (sinceProducedMs, sinceWrittenMs) -> {
            freshLag.observe(sinceProducedMs / 1000.0);
            freshDelivery.observe(sinceWrittenMs / 1000.0);
          });
      GaugeWithCallback.builder()
          .name("pixelstream_query_fresh_images")
          .help("Images and deletes read from the fresh topic that their shard has not published")
          .callback(cb -> cb.call(fresh.images().size()))
          .register(registry);
      CounterWithCallback.builder()
          .name("pixelstream_query_fresh_dropped_total")
          .help("Fresh images dropped for room or age before their shard published them")
          .callback(cb -> cb.call(fresh.images().dropped()))
          .register(registry);
      CounterWithCallback.builder()
          .name("pixelstream_query_fresh_refused_total")
          .help("Records of the fresh topic that could not be read")
          .callback(cb -> cb.call(fresh.refused()))
          .register(registry);
    }
  }

  void record(String endpoint, int status, long nanos) {
    String code = Integer.toString(status);
    requests.labelValues(endpoint, code).inc();
    latency.labelValues(endpoint, code).observe(nanos / 1e9);
  }

  void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
