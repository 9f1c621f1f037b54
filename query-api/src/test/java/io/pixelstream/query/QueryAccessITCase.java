package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access and load shedding over real HTTP: the API binds loopback unless told otherwise, a
 * configured token guards {@code /v1/} (and nothing else), and a flood of requests beyond the
 * waiting limit is answered 429 with a JSON body rather than queued without bound.
 */
class QueryAccessITCase {

  private static final String TOKEN = "s3cret-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static QueryFixtures fixtures;

  @BeforeAll
  static void index() throws Exception {
    fixtures = QueryFixtures.build(work, 300);
  }

  @Test
  void bindsLoopbackByDefault() throws Exception {
    try (QueryService service = QueryService.open(fixtures.options());
        QueryServer server = QueryServer.start(fixtures.options(), service)) {
      assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void tokenGuardsTheApiButNotHealthOrMetrics() throws Exception {
    QueryOptions options = fixtures.options(8, new ApiAccess("127.0.0.1", TOKEN, 256));
    try (QueryService service = QueryService.open(options);
        QueryServer server = QueryServer.start(options, service)) {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();

      HttpResponse<String> none = client.send(get(base + "/v1/stats"), body());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(none.body()).get("error").asText()).isEqualTo("UNAUTHORIZED");
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

      HttpResponse<String> wrong =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/stats"))
                  .header("Authorization", "Bearer " + TOKEN + "x")
                  .build(),
              body());
      assertThat(wrong.statusCode()).isEqualTo(401);

      HttpResponse<String> search =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/search?k=5"))
                  .header("Content-Type", "image/png")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(fixtures.png(0)))
                  .build(),
              body());
      assertThat(search.statusCode()).as("an upload without the token").isEqualTo(401);

      HttpResponse<String> right =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/stats"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              body());
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(right.body()).get("documents").asInt()).isEqualTo(300);

      assertThat(client.send(get(base + "/healthz"), body()).statusCode()).isEqualTo(200);
      assertThat(client.send(get(base + "/metrics"), body()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void floodBeyondTheWaitingLimitGets429NotErrors() throws Exception {
    QueryOptions options = fixtures.options(1, new ApiAccess("127.0.0.1", null, 2));
    try (QueryService service = QueryService.open(options);
        QueryServer server = QueryServer.start(options, service)) {
      HttpClient client = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/search?k=10&mode=exact");
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        sent.add(
            client.sendAsync(
                HttpRequest.newBuilder(uri)
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(fixtures.png(i)))
                    .build(),
                body()));
      }
      int ok = 0;
      int shed = 0;
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as("status of %s", r.body()).isIn(200, 429);
        if (r.statusCode() == 429) {
          shed++;
          assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("OVERLOADED");
          assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        } else {
          ok++;
        }
      }
      assertThat(shed).as("requests turned away").isPositive();
      assertThat(ok).as("requests answered").isPositive();
      // once the flood is over the API answers normally again
      HttpResponse<String> after =
          client.send(
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "image/png")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(fixtures.png(0)))
                  .build(),
              body());
      assertThat(after.statusCode()).isEqualTo(200);
    }
  }

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).build();
  }

  private static HttpResponse.BodyHandler<String> body() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
