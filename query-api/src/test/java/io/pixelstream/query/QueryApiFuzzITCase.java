package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pixelstream.core.io.Folders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes the running query API over a real index with generated requests sent on raw sockets: every
 * method on every endpoint and on made-up paths, hostile ids (10 KB, path traversal, bad percent
 * escapes, any Unicode), random query parameters, content types and bodies (random bytes, PNGs with
 * bytes overwritten, bodies over the upload cap). Each request must be answered within 10 s with a
 * status below 500, and every error under {@code /v1/} must be a JSON body with a code. The heap
 * retained after a full GC is compared before and after. Seeds are fixed.
 */
class QueryApiFuzzITCase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IMAGES = 300;
  private static final int MAX_IMAGE_BYTES = 64 * 1024;

  private static Path work;
  private static QueryFixtures fixtures;
  private static QueryService service;
  private static QueryServer server;
  private static long heapBefore;
  private static int requests;

  @BeforeContainer
  static void start() throws Exception {
    work = Files.createTempDirectory("query-fuzz");
    fixtures = QueryFixtures.build(work, IMAGES);
    service = QueryService.open(fixtures.options());
    server = QueryServer.start(fixtures.options(), service);
    send("POST", "/v1/search?k=5", "image/png", fixtures.png(0)); // warm the encoder
    heapBefore = retainedHeap();
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      long heapAfter = retainedHeap();
      System.out.printf(
          "query API fuzz: %d requests, heap retained after a full GC %d MB before and %d MB"
              + " after%n",
          requests, heapBefore >> 20, heapAfter >> 20);
      assertThat(heapAfter - heapBefore).as("retained heap growth, bytes").isLessThan(64L << 20);
    } finally {
      server.close();
      service.close();
      Folders.deleteRecursively(work);
    }
  }

  @Property(tries = 1500, seed = "20261122")
  void everyRequestGetsAnAnswerBelow500(
      @ForAll("methods") String method,
      @ForAll("paths") String path,
      @ForAll("queries") String query,
      @ForAll("contentTypes") String contentType,
      @ForAll("bodies") byte[] body)
      throws Exception {
    String target = query.isEmpty() ? path : path + "?" + query;
    boolean uri = isUri(target);
    // the JDK's HTTP layer closes at once on a malformed target: a body would be reset unread
    Answer answer = send(method, target, contentType, uri ? body : new byte[0]);
    requests++;
    Statistics.collect(uri ? answer.status / 100 + "xx" : "not a URI");
    assertThat(answer.status)
        .as("%s %s (%s, %d bytes): %s", method, target, contentType, body.length, answer.text())
        .isBetween(200, 499);
    if (!uri) {
      // the JDK's HTTP layer refuses it before any route sees it, with its own HTML page
      assertThat(answer.status).as("malformed %s", target).isEqualTo(400);
    } else if (answer.status >= 400 && path.startsWith("/v1/") && !method.equals("HEAD")) {
      JsonNode error = JSON.readTree(answer.body);
      assertThat(error.path("error").asText()).as("error code of %s", answer.text()).isNotEmpty();
    }
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> id = ids();
    return Arbitraries.oneOf(
        Arbitraries.of(
            "/v1/search", "/v1/clusters", "/v1/stats", "/healthz", "/metrics", "/", "/index.html"),
        id.map(i -> "/v1/images/" + i),
        id.map(i -> "/v1/images/" + i + "/similar"),
        id.map(i -> "/v1/clusters/" + i),
        id.map(i -> "/v1/" + i),
        id.map(i -> "/" + i));
  }

  /** Image ids as they would appear in a path: known, hostile, or any text percent-encoded. */
  private static Arbitrary<String> ids() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, IMAGES + 10).map(i -> enc(QueryFixtures.id(i))),
        Arbitraries.of(
            "",
            "..%2F..%2Fetc%2Fpasswd",
            "../../etc/passwd",
            "%00",
            "%zz",
            "%",
            "x".repeat(10 * 1024),
            enc("fmnist:t10k/00001") + "%2F..",
            "similar"),
        Arbitraries.strings().ofMaxLength(300).map(QueryApiFuzzITCase::enc));
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> name = Arbitraries.of("k", "mode", "candidates", "cluster", "label", "x", "");
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.integers().between(-2, 200).map(String::valueOf),
            Arbitraries.of("hnsw", "exact", "cluster", "HNSW", "", "1e9", "NaN", "%zz", "0x10"),
            Arbitraries.strings().ofMaxLength(40).map(QueryApiFuzzITCase::enc));
    return Combinators.combine(name, value)
        .as((n, v) -> n + "=" + v)
        .list()
        .ofMaxSize(4)
        .map(pairs -> String.join("&", pairs));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "",
        "image/png",
        "image/jpeg",
        "application/octet-stream",
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=x",
        "image/x-unknown");
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    byte[] png = fixtures.png(1);
    return Arbitraries.oneOf(
        Arbitraries.just(new byte[0]),
        Arbitraries.just(png),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(4096),
        Arbitraries.longs()
            .map(
                seed -> {
                  byte[] out = png.clone();
                  Random r = new Random(seed);
                  for (int i = 0; i < 8; i++) {
                    out[r.nextInt(out.length)] = (byte) r.nextInt(256);
                  }
                  return out;
                }),
        Arbitraries.longs()
            .map(
                seed -> {
                  byte[] out = new byte[MAX_IMAGE_BYTES + 1 + new Random(seed).nextInt(4096)];
                  new Random(seed).nextBytes(out);
                  return out;
                }));
  }

  private static boolean isUri(String target) {
    try {
      new URI(target);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** One request on its own connection; the answer's status and body. */
  private static Answer send(String method, String target, String contentType, byte[] body)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
      if (!contentType.isEmpty()) {
        head.append("Content-Type: ").append(contentType).append("\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      try {
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // the server may answer (413) and close before reading an oversized body
      }
      return Answer.read(socket.getInputStream());
    }
  }

  private static long retainedHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private record Answer(int status, byte[] body) {

    static Answer read(InputStream in) throws IOException {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        all.write(buf, 0, n);
      }
      byte[] bytes = all.toByteArray();
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.1 ") || end < 0) {
        throw new AssertionError("not an HTTP answer: '" + text + "'");
      }
      int status = Integer.parseInt(text.substring(9, 12));
      byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
      return new Answer(status, body);
    }

    String text() {
      return new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    }
  }
}
