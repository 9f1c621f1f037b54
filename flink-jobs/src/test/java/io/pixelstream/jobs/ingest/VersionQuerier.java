package io.pixelstream.jobs.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.data.LabelledImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client of the query API during a model switch (from "model-a" to "model-b"): asks for images
 * similar to an indexed id, uploads images and reads the stats in a loop, and records every
 * answer's version, the failures, and whether an answer from A came after one from B.
 */
final class VersionQuerier implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();
  final AtomicBoolean stop = new AtomicBoolean();
  final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  final Set<String> versions = Collections.synchronizedSet(new HashSet<>());
  final int port;
  final LabelledImages images;

  /** Ids below this are queried by id; they are never deleted. */
  final int stableIds;

  /** Images below this are uploaded as queries. */
  final int uploads;

  final HttpClient http = HttpClient.newHttpClient();
  volatile int answers;
  volatile int fromB;
  volatile int backToA;
  volatile long firstBDocuments = -1;
  private String last;

  VersionQuerier(int port, LabelledImages images, int stableIds, int uploads) {
    this.port = port;
    this.images = images;
    this.stableIds = stableIds;
    this.uploads = uploads;
  }

  @Override
  public void run() {
    Random random = new Random(11);
    while (!stop.get()) {
      String id = IngestFixtures.id(random.nextInt(stableIds));
      try {
        record(get("/v1/images/" + id + "/similar?k=5"), id);
        byte[] png = IngestFixtures.png(images, random.nextInt(uploads));
        record(
            http.send(
                HttpRequest.newBuilder(uri("/v1/search?k=5"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png))
                    .build(),
                HttpResponse.BodyHandlers.ofString()),
            "upload");
        HttpResponse<String> stats = get("/v1/stats");
        JsonNode s = JSON.readTree(stats.body());
        if (stats.statusCode() != 200) {
          failures.add("stats: " + stats.statusCode() + " " + stats.body());
        } else if (firstBDocuments < 0 && !"model-a".equals(s.get("modelVersion").asText())) {
          firstBDocuments = s.get("documents").asLong();
        }
      } catch (Exception e) {
        failures.add(id + ": " + e);
      }
    }
  }

  private void record(HttpResponse<String> r, String what) throws Exception {
    if (r.statusCode() != 200) {
      failures.add(what + ": " + r.statusCode() + " " + r.body());
      return;
    }
    String version = JSON.readTree(r.body()).get("modelVersion").asText();
    versions.add(version);
    answers++;
    if (version.equals("model-b")) {
      fromB++;
    } else if ("model-b".equals(last)) {
      backToA++;
    }
    last = version;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
