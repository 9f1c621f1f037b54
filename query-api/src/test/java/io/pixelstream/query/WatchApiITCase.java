package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.core.watch.WatchTopicFormat;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch routes on a real broker: watches are created from uploads and indexed images, listed,
 * capped and deleted, every change is on the compacted watches topic (a new API reads them back
 * from there), bad requests get 4xx with a JSON body, and match events on the match topic are
 * served to pollers.
 */
class WatchApiITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_WATCHES = 3;

  @TempDir static Path work;
  private static QueryFixtures fixtures;
  private static QueryService service;
  private static QueryOptions options;
  private static QueryServer server;
  private static QueryFixtures.Http http;

  @BeforeAll
  static void start() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(
        bootstrap, Map.of("images.watches", 1, "images.matches", 2), Duration.ofSeconds(30));
    fixtures = QueryFixtures.build(work, 50);
    options =
        fixtures
            .options()
            .withWatches(
                new WatchOptions(
                    bootstrap,
                    KafkaClientSettings.none(),
                    "images.watches",
                    "images.matches",
                    MAX_WATCHES));
    service = QueryService.open(options);
    server = QueryServer.start(options, service);
    http = new QueryFixtures.Http(server.port());
    awaitReady(http);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    service.close();
  }

  private static void awaitReady(QueryFixtures.Http client) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (client.get("/v1/watches").statusCode() != 200) {
      assertThat(System.nanoTime()).as("watches read from Kafka in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static JsonNode status(HttpResponse<byte[]> r, int status) throws Exception {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body());
  }

  private static String error(HttpResponse<byte[]> r, int status) throws Exception {
    return status(r, status).get("error").asText();
  }

  private static HttpResponse<byte[]> postImage(String query, byte[] image) throws Exception {
    return http.post("/v1/watches?" + query, "image/png", image);
  }

  @Test
  void watchesAreCreatedListedCappedAndDeletedThroughTheTopic() throws Exception {
    byte[] upload = fixtures.png(3);
    JsonNode created = status(postImage("name=" + enc("red shoe") + "&threshold=0.9", upload), 201);
    String id = created.get("id").asText();
    assertThat(created.get("name").asText()).isEqualTo("red shoe");
    assertThat(created.get("threshold").asDouble()).isEqualTo(0.9);
    assertThat(created.get("top").isNull()).isTrue();
    assertThat(http.get("/v1/watches/" + id + "/image").body()).isEqualTo(upload);

    String byId = QueryFixtures.id(7);
    JsonNode fromIndex =
        status(
            http.post("/v1/watches?name=n&top=5&imageId=" + enc(byId), "image/png", new byte[0]),
            201);
    String second = fromIndex.get("id").asText();
    assertThat(fromIndex.get("imageId").asText()).isEqualTo(byId);
    assertThat(http.get("/v1/watches/" + second + "/image").body()).isEqualTo(fixtures.png(7));

    status(postImage("name=third&top=1", fixtures.png(9)), 201);
    assertThat(error(postImage("name=fourth&top=1", fixtures.png(10)), 409))
        .isEqualTo("TOO_MANY_WATCHES");
    JsonNode list = status(http.get("/v1/watches"), 200);
    assertThat(list.get("count").asInt()).isEqualTo(3);
    assertThat(list.get("max").asInt()).isEqualTo(MAX_WATCHES);

    // the topic holds them: a new API reads the same watches back
    Map<String, Watch> onTopic = watchesOnTopic();
    assertThat(onTopic).containsKeys(id, second);
    assertThat(onTopic.get(id).image()).isEqualTo(upload);
    try (QueryServer other = QueryServer.start(options, service)) {
      QueryFixtures.Http otherHttp = new QueryFixtures.Http(other.port());
      awaitReady(otherHttp);
      assertThat(status(otherHttp.get("/v1/watches"), 200).get("watches")).hasSize(3);
    }

    assertThat(status(http.delete("/v1/watches/" + id), 200).get("deleted").asText()).isEqualTo(id);
    assertThat(error(http.get("/v1/watches/" + id), 404)).isEqualTo("NOT_FOUND");
    assertThat(error(http.delete("/v1/watches/" + id), 404)).isEqualTo("NOT_FOUND");
    assertThat(watchesOnTopic()).doesNotContainKey(id).containsKey(second);
    status(postImage("name=fourth&top=1", fixtures.png(10)), 201); // room again
  }

  @Test
  void badRequestsGetA4xxWithTheReason() throws Exception {
    byte[] png = fixtures.png(1);
    assertThat(error(postImage("threshold=0.5", png), 400)).isEqualTo("BAD_PARAMETER");
    assertThat(error(postImage("name=x&threshold=0.5&top=3", png), 400)).isEqualTo("BAD_PARAMETER");
    assertThat(error(postImage("name=x", png), 400)).isEqualTo("BAD_PARAMETER");
    assertThat(error(postImage("name=x&top=0", png), 400)).isEqualTo("BAD_PARAMETER");
    assertThat(error(postImage("name=x&threshold=high", png), 400)).isEqualTo("BAD_PARAMETER");
    assertThat(error(postImage("name=x&top=1&imageId=nope", png), 404)).isEqualTo("NOT_FOUND");
    assertThat(error(postImage("name=x&top=1", new byte[0]), 400)).isEqualTo("EMPTY_BODY");
    assertThat(
            error(postImage("name=x&top=1", "not an image".getBytes(StandardCharsets.UTF_8)), 415))
        .isEqualTo("UNSUPPORTED_FORMAT");
    assertThat(error(http.post("/v1/watches?name=x&top=1", "text/plain", png), 415))
        .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(error(postImage("name=x&top=1", new byte[64 * 1024 + 1]), 413))
        .isEqualTo("TOO_LARGE");
    byte[] truncated = Arrays.copyOf(png, png.length / 2);
    assertThat(error(postImage("name=x&top=1", truncated), 400)).isEqualTo("UNDECODABLE_IMAGE");
    assertThat(error(http.delete("/v1/watches"), 405)).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(error(http.get("/v1/matches?after=soon"), 400)).isEqualTo("BAD_PARAMETER");
  }

  @Test
  void matchEventsOnTheTopicAreServedToPollers() throws Exception {
    try (ImageProducer producer = new ImageProducer(KAFKA.bootstrapServers(), "images.matches")) {
      for (int i = 0; i < 3; i++) {
        MatchEvent e =
            new MatchEvent(i == 2 ? "w-b" : "w-a", "img/" + i, 0.9, "v1", 1, 2, 3, "images", 0, i);
        producer.sendRaw(
            e.watchId().getBytes(StandardCharsets.UTF_8),
            WatchTopicFormat.write(e),
            new RecordHeaders());
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode page = status(http.get("/v1/matches?after=0"), 200);
    while (page.get("events").size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      page = status(http.get("/v1/matches?after=0"), 200);
    }
    List<String> images = new ArrayList<>();
    page.get("events").forEach(e -> images.add(e.get("imageId").asText()));
    assertThat(images).containsExactlyInAnyOrder("img/0", "img/1", "img/2");
    long next = page.get("next").asLong();
    assertThat(status(http.get("/v1/matches?after=" + next), 200).get("events")).isEmpty();
    JsonNode onlyB = status(http.get("/v1/matches?after=0&watch=w-b"), 200);
    assertThat(onlyB.get("events")).hasSize(1);
    assertThat(onlyB.get("events").get(0).get("imageId").asText()).isEqualTo("img/2");
  }

  /** The watches as a reader of the compacted topic sees them: the last value per key. */
  private static Map<String, Watch> watchesOnTopic() {
    Map<String, Watch> out = new java.util.HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaTopics.readerProperties(KAFKA.bootstrapServers(), "it-"))) {
      consumer.subscribe(List.of("images.watches"));
      long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            out.remove(key);
          } else {
            out.put(key, WatchTopicFormat.readWatch(r.value()));
          }
        }
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
