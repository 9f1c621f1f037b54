package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pixelstream.core.TestImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.index.ShardedIndexWriter;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API over a real on-disk index of 2,000 Fashion-MNIST test images, with the real DJL
 * encoder embedding uploads.
 */
class QueryApiITCase {

  private static final int IMAGES = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static QueryFixtures fixtures;
  private static QueryService service;
  private static HttpServer server;
  private static QueryFixtures.Http http;

  @BeforeAll
  static void start() throws Exception {
    fixtures = QueryFixtures.build(work, IMAGES);
    service = QueryService.open(fixtures.options());
    // the API's own routes on a bare JDK server: what QueryServer.start registers, without its pool
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    QueryRoutes.routing(
        server, service, new QueryMetrics(service), fixtures.options(), () -> 0, null);
    server.start();
    http = new QueryFixtures.Http(server.getAddress().getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop(0);
    service.close();
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body());
  }

  private static JsonNode ok(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return json(r);
  }

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.get("results").forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  private static String enc(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Test
  void searchByImageAndByIdReturnTheImageItselfFirst() throws Exception {
    Random pick = new Random(12);
    for (int q = 0; q < 10; q++) {
      int i = pick.nextInt(IMAGES);
      String id = QueryFixtures.id(i);
      JsonNode byImage = ok(http.post("/v1/search?k=10", "image/png", fixtures.png(i)));
      assertThat(byImage.get("modelVersion").asText()).isEqualTo("q-model");
      assertThat(byImage.get("results")).hasSize(10);
      assertThat(byImage.get("results").get(0).get("id").asText())
          .as("by image %s", id)
          .isEqualTo(id);
      assertThat(byImage.get("results").get(0).get("score").floatValue()).isEqualTo(1f);
      assertThat(byImage.get("results").get(0).get("label").asInt())
          .isEqualTo(fixtures.images.labels()[i]);
      assertThat(byImage.get("tookMs").asDouble()).isPositive();

      JsonNode byId = ok(http.get("/v1/images/" + enc(id) + "/similar?k=10"));
      assertThat(ids(byId)).isEqualTo(ids(byImage));
    }
    // an id with '/' also works unencoded in the path
    assertThat(ids(ok(http.get("/v1/images/" + QueryFixtures.id(7) + "/similar?k=3"))).get(0))
        .isEqualTo(QueryFixtures.id(7));
  }

  @Test
  void jpegUploadsWork() throws Exception {
    byte[] jpeg = ImageEncoding.jpeg(fixtures.images.pixels()[3], 1, 28, 28);
    JsonNode answer = ok(http.post("/v1/search?k=5", "image/jpeg", jpeg));
    assertThat(answer.get("results")).hasSize(5);
  }

  @Test
  void filtersHoldAndStillReturnK() throws Exception {
    JsonNode byLabel = ok(http.post("/v1/search?k=12&label=3", "image/png", fixtures.png(0)));
    assertThat(byLabel.get("results")).hasSize(12);
    byLabel.get("results").forEach(r -> assertThat(r.get("label").asInt()).isEqualTo(3));

    JsonNode byCluster =
        ok(http.post("/v1/search?k=12&cluster=2&mode=exact", "image/png", fixtures.png(0)));
    assertThat(byCluster.get("results")).hasSize(12);
    byCluster.get("results").forEach(r -> assertThat(r.get("cluster").asInt()).isEqualTo(2));
  }

  @Test
  void clusterModeOnlyReturnsThePredictedCluster() throws Exception {
    for (int i = 0; i < 5; i++) {
      JsonNode answer =
          ok(http.post("/v1/search?k=10&mode=cluster", "image/png", fixtures.png(i * 31)));
      int cluster = answer.get("queryCluster").asInt();
      assertThat(answer.get("results")).hasSize(10);
      answer.get("results").forEach(r -> assertThat(r.get("cluster").asInt()).isEqualTo(cluster));
      assertThat(answer.get("results").get(0).get("id").asText())
          .isEqualTo(QueryFixtures.id(i * 31));
    }
  }

  @Test
  void hnswAgreesWithExactOnNearlyAllOfTheTop10() throws Exception {
    int agree = 0;
    int queries = 30;
    for (int q = 0; q < queries; q++) {
      String id = enc(QueryFixtures.id(q * 53));
      Set<String> exact =
          new HashSet<>(ids(ok(http.get("/v1/images/" + id + "/similar?k=10&mode=exact"))));
      agree +=
          (int)
              ids(ok(http.get("/v1/images/" + id + "/similar?k=10"))).stream()
                  .filter(exact::contains)
                  .count();
    }
    double recall = agree / (queries * 10.0);
    System.out.printf(
        "query-api: recall@10 of hnsw vs exact over %d queries = %.4f%n", queries, recall);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void storedImagesClustersStatsHealthAndMetrics() throws Exception {
    HttpResponse<byte[]> image = http.get("/v1/images/" + enc(QueryFixtures.id(5)));
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(image.body()).isEqualTo(fixtures.png(5));

    JsonNode clusters = ok(http.get("/v1/clusters?samples=3"));
    assertThat(clusters.get("clusters")).hasSize(10);
    long total = 0;
    for (JsonNode c : clusters.get("clusters")) {
      total += c.get("size").asLong();
      assertThat(c.get("sampleIds").size()).isEqualTo((int) Math.min(3, c.get("size").asLong()));
    }
    assertThat(total).isGreaterThanOrEqualTo(IMAGES);

    JsonNode stats = ok(http.get("/v1/stats"));
    assertThat(stats.get("documents").asLong()).isGreaterThanOrEqualTo(IMAGES);
    assertThat(stats.get("shards").asInt()).isEqualTo(QueryFixtures.SHARDS);
    assertThat(stats.get("modelVersion").asText()).isEqualTo("q-model");
    assertThat(stats.get("lastCommitTime").asText()).isNotEmpty();

    assertThat(ok(http.get("/healthz")).get("status").asText()).isEqualTo("ok");

    http.get("/v1/stats");
    String metrics = new String(http.get("/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .contains("pixelstream_query_requests_total{endpoint=\"stats\",status=\"200\"}")
        .contains("pixelstream_query_latency_seconds_bucket{endpoint=\"stats\",status=\"200\"")
        .contains("pixelstream_query_index_documents")
        .contains("pixelstream_query_searcher_age_seconds");
  }

  @Test
  void aDocumentCommittedWhileServingBecomesSearchable() throws Exception {
    String id = "live/new-0";
    byte[] png = ImageEncoding.png(TestImages.randomPixels(1, 28, 28, 77), 1, 28, 28);
    assertThat(http.get("/v1/images/" + enc(id)).statusCode()).isEqualTo(404);
    long committedAt;
    try (ShardedIndexWriter writer = fixtures.openWriter()) {
      float[] vector = new float[64];
      vector[0] = 1000; // far from everything: only itself scores 1
      writer.upsert(new IndexedImage(id, vector, 0, 9, "live", "q-model", 0L, 0L, png));
      writer.commit();
      committedAt = System.nanoTime();
    }
    long visibleAfterMs = -1;
    while ((System.nanoTime() - committedAt) / 1_000_000 < 5_000) {
      if (http.get("/v1/images/" + enc(id)).statusCode() == 200) {
        visibleAfterMs = (System.nanoTime() - committedAt) / 1_000_000;
        break;
      }
      Thread.sleep(20);
    }
    System.out.printf("query-api: a new commit was searchable after %d ms%n", visibleAfterMs);
    assertThat(visibleAfterMs).as("visible within the refresh interval").isBetween(0L, 1_000L);
    JsonNode similar = ok(http.get("/v1/images/" + enc(id) + "/similar?k=1"));
    assertThat(ids(similar)).containsExactly(id);
  }

  @Test
  void everyPathOfTheOpenApiDocumentIsServed() throws Exception {
    JsonNode api;
    try (var in =
        getClass().getResourceAsStream("/io/pixelstream/schemas/query-api.openapi.json")) {
      assertThat(in).as("OpenAPI document from the schemas module").isNotNull();
      api = JSON.readTree(in);
    }
    List<String> paths = new ArrayList<>();
    api.get("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths).hasSize(12);
    for (String path : paths) {
      String concrete = path.replace("{id}", enc(QueryFixtures.id(11))).replace("{watchId}", "w-1");
      for (var methods = api.get("paths").get(path).fields(); methods.hasNext(); ) {
        var method = methods.next();
        boolean watches = method.getValue().path("tags").toString().contains("\"watches\"");
        HttpResponse<byte[]> r =
            switch (method.getKey()) {
              case "post" -> http.post(concrete, "image/png", fixtures.png(11));
              case "delete" -> http.delete(concrete);
              default -> http.get(concrete);
            };
        if (watches) {
          expectError(r, 404, "NOT_FOUND"); // this server runs without --kafka
        } else {
          assertThat(r.statusCode()).as("%s %s", method.getKey(), path).isEqualTo(200);
        }
      }
    }
  }

  @Test
  void badRequestsGetJsonErrors() throws Exception {
    byte[] png = fixtures.png(1);
    expectError(
        http.post(
            "/v1/search", "image/png", "hello, not an image".getBytes(StandardCharsets.UTF_8)),
        415,
        "UNSUPPORTED_FORMAT");
    expectError(http.post("/v1/search", "text/plain", png), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(
        http.post("/v1/search", "image/png", java.util.Arrays.copyOf(png, png.length / 2)),
        400,
        "UNDECODABLE_IMAGE");
    byte[] big = ImageEncoding.png(TestImages.randomPixels(1, 300, 300, 3), 1, 300, 300);
    assertThat(big.length).isGreaterThan(64 * 1024);
    expectError(http.post("/v1/search", "image/png", big), 413, "TOO_LARGE");
    expectError(http.post("/v1/search", "image/png", new byte[0]), 400, "EMPTY_BODY");
    expectError(http.post("/v1/search?k=0", "image/png", png), 400, "BAD_PARAMETER");
    expectError(http.post("/v1/search?k=101", "image/png", png), 400, "BAD_PARAMETER");
    expectError(http.post("/v1/search?k=ten", "image/png", png), 400, "BAD_PARAMETER");
    expectError(http.post("/v1/search?mode=fuzzy", "image/png", png), 400, "BAD_PARAMETER");
    expectError(http.post("/v1/search?duplicates=maybe", "image/png", png), 400, "BAD_PARAMETER");
    assertThat(ok(http.post("/v1/search?duplicates=exclude", "image/png", png)).get("results"))
        .hasSize(10);
    expectError(
        http.post("/v1/search?mode=cluster&cluster=1", "image/png", png), 400, "BAD_REQUEST");
    expectError(http.get("/v1/search"), 405, "METHOD_NOT_ALLOWED");
    expectError(http.get("/v1/images/no-such-id"), 404, "NOT_FOUND");
    expectError(http.get("/v1/images/no-such-id/similar"), 404, "NOT_FOUND");
    expectError(http.get("/v1/nothing-here"), 404, "NOT_FOUND");
    // the service is still fine afterwards
    assertThat(ok(http.post("/v1/search?k=1", "image/png", png)).get("results")).hasSize(1);
  }

  private static void expectError(HttpResponse<byte[]> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    JsonNode body = json(r);
    assertThat(body.get("error").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
  }
}
