package io.pixelstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pixelstream.core.model.ModelArtifacts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A Solr node's heap and segments per core, read from its admin APIs for the benchmarks. */
final class SolrNodeStats {

  private SolrNodeStats() {}

  /** Each core's segment count on the node, by core name. */
  static Map<String, Integer> segmentsPerCore(String nodeUrl) throws Exception {
    JsonNode status =
        ModelArtifacts.json().readTree(get(nodeUrl + "/admin/cores?action=STATUS&wt=json"));
    Map<String, Integer> segments = new java.util.TreeMap<>();
    status
        .path("status")
        .fields()
        .forEachRemaining(
            e -> segments.put(e.getKey(), e.getValue().path("index").path("segmentCount").asInt()));
    return segments;
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static double heapUsedMiB(String nodeUrl) throws Exception {
    JsonNode used =
        ModelArtifacts.json()
            .readTree(get(nodeUrl + "/admin/metrics?group=jvm&prefix=memory.heap.used&wt=json"))
            .path("metrics")
            .path("solr.jvm")
            .path("memory.heap.used");
    return used.asDouble(-1) / 1048576.0;
  }
}
