package io.pixelstream.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's routes: parameter checks, JSON bodies and errors (every refusal a 4xx with {@code
 * {"error": code, "message": ...}}). Handlers are thin: the work is in {@link QueryService}, which
 * speaks no HTTP; this class maps its refusals to status codes.
 */
final class QueryRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(QueryRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CANDIDATES = 10_000;

  /**
   * Unread request bytes discarded before an early answer (a 413, say), so the client reads the
   * answer instead of a reset connection; a larger body gets its connection closed.
   */
  private static final long DRAIN_LIMIT = 64L << 20;

  private QueryRoutes() {}

  /**
   * Registers every route of the API on {@code server}; {@code queued} tells how many requests wait
   * for a request thread; {@code watches} is null without {@code --kafka}. {@link
   * QueryServer#start} and the tests (on a bare server) both call it.
   */
  static void routing(
      HttpServer server,
      QueryService service,
      QueryMetrics metrics,
      QueryOptions options,
      IntSupplier queued,
      WatchRoutes watches) {
    Routes routes = new Routes(service, metrics, options, queued);
    Handler noWatches =
        ex -> {
          throw ApiException.notFound("watches need the API started with --kafka");
        };
    server.createContext(
        "/v1/watches",
        ex -> routes.handle("watches", ex, watches == null ? noWatches : watches::watches));
    server.createContext(
        "/v1/matches",
        ex -> routes.handle("matches", ex, watches == null ? noWatches : watches::matches));
    server.createContext("/v1/search", ex -> routes.handle("search", ex, routes::search));
    server.createContext(
        "/v1/images/", ex -> routes.handle(routes.imagesEndpoint(ex), ex, routes::images));
    server.createContext("/v1/clusters", ex -> routes.handle("clusters", ex, routes::clusters));
    server.createContext("/v1/stats", ex -> routes.handle("stats", ex, routes::stats));
    server.createContext("/healthz", ex -> routes.handle("healthz", ex, routes::health));
    server.createContext("/metrics", ex -> routes.handle("metrics", ex, routes::metrics));
    server.createContext("/", ex -> routes.handle("page", ex, routes::page));
  }

  /** A response: status, content type, body and any extra headers. */
  record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of());
    }

    Response with(String header, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(header, value);
      return new Response(status, contentType, body, more);
    }

    static Response json(Object value) throws IOException {
      return new Response(200, "application/json", JSON.writeValueAsBytes(value));
    }
  }

  @FunctionalInterface
  interface Handler {
    Response handle(HttpExchange exchange) throws IOException;
  }

  /** The handlers, sharing the service and options. */
  private static final class Routes {
    private final QueryService service;
    private final QueryMetrics metrics;
    private final QueryOptions options;
    private final IntSupplier queued;

    Routes(QueryService service, QueryMetrics metrics, QueryOptions options, IntSupplier queued) {
      this.service = service;
      this.metrics = metrics;
      this.options = options;
      this.queued = queued;
    }

    void handle(String endpoint, HttpExchange ex, Handler handler) {
      long start = System.nanoTime();
      Response response;
      boolean api = ex.getRequestURI().getPath().startsWith("/v1/");
      int waiting = api ? queued.getAsInt() : 0;
      try {
        if (api && !options.access().admits(ex.getRequestHeaders().getFirst("Authorization"))) {
          response =
              error(401, "UNAUTHORIZED", "this API needs \"Authorization: Bearer <token>\"")
                  .with("WWW-Authenticate", "Bearer");
        } else if (waiting > options.access().maxQueued()) {
          response =
              error(429, "OVERLOADED", waiting + " requests are waiting already; retry in a moment")
                  .with("Retry-After", "1");
        } else {
          response = handler.handle(ex);
        }
      } catch (ApiException e) {
        response = error(e.status(), e.code(), e.getMessage());
      } catch (IllegalArgumentException e) {
        response = error(400, "BAD_REQUEST", e.getMessage());
      } catch (IllegalStateException e) {
        LOG.warn("{} {} unavailable: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        response = error(503, "UNAVAILABLE", e.getMessage());
      } catch (IOException | RuntimeException e) {
        LOG.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        response = error(500, "INTERNAL", e.toString());
      }
      try {
        Exchanges.drain(ex, DRAIN_LIMIT);
        send(ex, response);
      } catch (IOException e) {
        LOG.debug("client went away: {}", e.toString());
      } finally {
        ex.close();
        metrics.record(endpoint, response.status(), System.nanoTime() - start);
      }
    }

    Response search(HttpExchange ex) throws IOException {
      Exchanges.requireMethod(ex, "POST");
      Exchanges.requireImageType(ex);
      Map<String, String> params = Exchanges.params(ex);
      SearchRequest request = searchRequest(params);
      byte[] body = Exchanges.readBody(ex, options.maxImageBytes());
      if (body.length == 0) {
        throw ApiException.badRequest("EMPTY_BODY", "the request body must be a PNG or JPEG image");
      }
      long start = System.nanoTime();
      try {
        return Response.json(body(service.searchByImage(body, request), request, start));
      } catch (RejectedInputException e) {
        throw new ApiException(Exchanges.statusOf(e), e.reason().name(), e.getMessage());
      }
    }

    String imagesEndpoint(HttpExchange ex) {
      return ex.getRequestURI().getRawPath().endsWith("/similar") ? "similar" : "image";
    }

    Response images(HttpExchange ex) throws IOException {
      Exchanges.requireMethod(ex, "GET");
      String raw = ex.getRequestURI().getRawPath().substring("/v1/images/".length());
      boolean similar = raw.endsWith("/similar");
      if (similar) {
        raw = raw.substring(0, raw.length() - "/similar".length());
      }
      String id = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      if (id.isEmpty()) {
        throw ApiException.badRequest("BAD_ID", "the path must name an image id");
      }
      if (similar) {
        SearchRequest request = searchRequest(Exchanges.params(ex));
        long start = System.nanoTime();
        QueryService.Answer answer = service.searchById(id, request).orElseThrow(() -> noImage(id));
        return Response.json(body(answer, request, start));
      }
      byte[] image = service.image(id).orElseThrow(() -> noImage(id));
      String format = io.pixelstream.core.image.ImageDecoder.sniffFormat(image);
      return new Response(200, "jpeg".equals(format) ? "image/jpeg" : "image/png", image);
    }

    Response clusters(HttpExchange ex) throws IOException {
      Exchanges.requireMethod(ex, "GET");
      int samples = Exchanges.intParam(Exchanges.params(ex), "samples", 8, 0, 100);
      return Response.json(service.clusters(samples));
    }

    Response stats(HttpExchange ex) throws IOException {
      Exchanges.requireMethod(ex, "GET");
      return Response.json(service.stats());
    }

    Response health(HttpExchange ex) throws IOException {
      return Response.json(Map.of("status", "ok", "modelVersion", service.modelVersion()));
    }

    Response metrics(HttpExchange ex) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      metrics.write(out);
      return new Response(200, QueryMetrics.CONTENT_TYPE, out.toByteArray());
    }

    Response page(HttpExchange ex) throws IOException {
      String path = ex.getRequestURI().getPath();
      if (!path.equals("/") && !path.equals("/index.html")) {
        throw ApiException.notFound("no such path: " + path);
      }
      Exchanges.requireMethod(ex, "GET");
      try (InputStream in = QueryRoutes.class.getResourceAsStream("web/index.html")) {
        if (in == null) {
          throw new IllegalStateException("web page missing from the jar");
        }
        return new Response(200, "text/html; charset=utf-8", in.readAllBytes());
      }
    }

    private SearchRequest searchRequest(Map<String, String> params) {
      int k = Exchanges.intParam(params, "k", 10, 1, options.maxK());
      SearchMode mode;
      try {
        mode = SearchMode.parse(params.getOrDefault("mode", "hnsw"));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("BAD_PARAMETER", e.getMessage());
      }
      Integer cluster =
          params.containsKey("cluster")
              ? Exchanges.intParam(params, "cluster", 0, 0, Integer.MAX_VALUE)
              : null;
      Integer label =
          params.containsKey("label")
              ? Exchanges.intParam(params, "label", 0, 0, Integer.MAX_VALUE)
              : null;
      int candidates =
          Exchanges.intParam(params, "candidates", options.candidates(), 1, MAX_CANDIDATES);
      String duplicates = params.getOrDefault("duplicates", "include");
      if (!duplicates.equals("include") && !duplicates.equals("exclude")) {
        throw ApiException.badRequest(
            "BAD_PARAMETER", "duplicates must be include or exclude, got '" + duplicates + "'");
      }
      return new SearchRequest(k, mode, cluster, label, candidates, duplicates.equals("exclude"));
    }

    private Map<String, Object> body(
        QueryService.Answer answer, SearchRequest request, long startNanos) {
      SearchResult result = answer.result();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("modelVersion", answer.modelVersion());
      out.put("tookMs", (System.nanoTime() - startNanos) / 1e6);
      out.put("mode", request.mode().name().toLowerCase(java.util.Locale.ROOT));
      out.put("k", request.k());
      if (result.queryCluster() != null) {
        out.put("queryCluster", result.queryCluster());
      }
      List<Map<String, Object>> results =
          result.hits().stream()
              .map(
                  h -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", h.id());
                    m.put("score", h.score());
                    m.put("cluster", h.cluster());
                    m.put("label", h.label());
                    return m;
                  })
              .toList();
      out.put("results", results);
      return out;
    }
  }

  private static ApiException noImage(String id) {
    return ApiException.notFound("no image with id '" + id + "'");
  }

  private static Response error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message == null ? code : message);
    try {
      return new Response(status, "application/json", JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      return new Response(
          status, "application/json", "{\"error\":\"INTERNAL\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange ex, Response response) throws IOException {
    ex.getResponseHeaders().set("Content-Type", response.contentType());
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    response.headers().forEach((name, value) -> ex.getResponseHeaders().set(name, value));
    ex.sendResponseHeaders(
        response.status(), response.body().length == 0 ? -1 : response.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(response.body());
    }
  }
}
