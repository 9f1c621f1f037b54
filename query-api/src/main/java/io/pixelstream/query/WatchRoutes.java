package io.pixelstream.query;

import com.sun.net.httpserver.HttpExchange;
import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.query.QueryRoutes.Response;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The watch routes, registered by {@link QueryRoutes#routing}: {@code GET, POST /v1/watches},
 * {@code GET, DELETE /v1/watches/{id}}, {@code GET /v1/watches/{id}/image} and {@code GET
 * /v1/matches?after=SEQ}. The watches live in {@link WatchStore}, the newest match events in {@link
 * MatchFeed}; uploads are checked as search uploads are.
 *
 * <pre>{@code
 * curl -X POST --data-binary @shoe.png -H 'Content-Type: image/png' \
 *     'http://127.0.0.1:8080/v1/watches?name=red+shoe&threshold=0.9'
 * curl -X POST 'http://127.0.0.1:8080/v1/watches?name=like+this&top=10&imageId=shoes/0001'
 * curl 'http://127.0.0.1:8080/v1/matches?after=0'
 * }</pre>
 */
final class WatchRoutes implements AutoCloseable {

  private static final String PREFIX = "/v1/watches/";
  private static final int FEED_CAPACITY = 1000;

  private final QueryService service;
  private final QueryOptions options;
  private final WatchStore store;
  private final MatchFeed feed;

  private WatchRoutes(
      QueryService service, QueryOptions options, WatchStore store, MatchFeed feed) {
    this.service = service;
    this.options = options;
    this.store = store;
    this.feed = feed;
  }

  /** Starts reading the watches and match topics of {@code options.watches()}. */
  static WatchRoutes open(QueryService service, QueryOptions options) {
    WatchOptions w = options.watches();
    return new WatchRoutes(service, options, new WatchStore(w), new MatchFeed(w, FEED_CAPACITY));
  }

  Response watches(HttpExchange ex) throws IOException {
    if (!store.ready()) {
      throw new IllegalStateException("the watches are still being read from Kafka");
    }
    String path = ex.getRequestURI().getRawPath();
    if (path.equals("/v1/watches") || path.equals(PREFIX)) {
      return switch (ex.getRequestMethod()) {
        case "GET" -> list();
        case "POST" -> create(ex);
        default -> throw notAllowed(ex, "GET or POST");
      };
    }
    String rest = path.substring(PREFIX.length());
    boolean image = rest.endsWith("/image");
    String id =
        URLDecoder.decode(
            image ? rest.substring(0, rest.length() - 6) : rest, StandardCharsets.UTF_8);
    if (image) {
      Exchanges.requireMethod(ex, "GET");
      byte[] bytes = store.get(id).orElseThrow(() -> noWatch(id)).image();
      String format = ImageDecoder.sniffFormat(bytes);
      return new Response(200, "jpeg".equals(format) ? "image/jpeg" : "image/png", bytes);
    }
    return switch (ex.getRequestMethod()) {
      case "GET" -> Response.json(view(store.get(id).orElseThrow(() -> noWatch(id))));
      case "DELETE" -> {
        if (!store.delete(id)) {
          throw noWatch(id);
        }
        yield Response.json(Map.of("deleted", id));
      }
      default -> throw notAllowed(ex, "GET or DELETE");
    };
  }

  private Response list() throws IOException {
    List<Map<String, Object>> all = store.list().stream().map(WatchRoutes::view).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", all.size());
    out.put("max", store.maxWatches());
    out.put("watches", all);
    return Response.json(out);
  }

  private Response create(HttpExchange ex) throws IOException {
    Map<String, String> params = Exchanges.params(ex);
    String name = params.get("name");
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest("BAD_PARAMETER", "name is required (1-256 characters)");
    }
    if (params.containsKey("threshold") == params.containsKey("top")) {
      throw ApiException.badRequest(
          "BAD_PARAMETER",
          "give exactly one of threshold (a score) and top (1.." + Watch.MAX_TOP + ")");
    }
    Double threshold = params.containsKey("threshold") ? score(params.get("threshold")) : null;
    Integer top =
        params.containsKey("top") ? Exchanges.intParam(params, "top", 0, 1, Watch.MAX_TOP) : null;
    String imageId = params.get("imageId");
    byte[] image;
    if (imageId != null) {
      image =
          service
              .image(imageId)
              .orElseThrow(() -> ApiException.notFound("no image with id '" + imageId + "'"));
    } else {
      Exchanges.requireImageType(ex);
      image = Exchanges.readBody(ex, options.maxImageBytes());
      if (image.length == 0) {
        throw ApiException.badRequest(
            "EMPTY_BODY", "send the watch image as the body, or name an indexed one with imageId");
      }
      try {
        service.checkImage(image);
      } catch (RejectedInputException e) {
        throw new ApiException(Exchanges.statusOf(e), e.reason().name(), e.getMessage());
      }
    }
    String id = "w-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Watch watch = new Watch(id, name, image, imageId, threshold, top, System.currentTimeMillis());
    if (!store.create(watch)) {
      throw new ApiException(
          409, "TOO_MANY_WATCHES", store.maxWatches() + " watches exist; delete one first");
    }
    Response created = Response.json(view(watch));
    return new Response(201, created.contentType(), created.body()).with("Location", PREFIX + id);
  }

  Response matches(HttpExchange ex) throws IOException {
    Exchanges.requireMethod(ex, "GET");
    Map<String, String> params = Exchanges.params(ex);
    long after;
    try {
      after = Long.parseLong(params.getOrDefault("after", "0").trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "BAD_PARAMETER", "after must be an integer, got '" + params.get("after") + "'");
    }
    int limit = Exchanges.intParam(params, "limit", 100, 1, FEED_CAPACITY);
    MatchFeed.Page page = feed.after(after, params.get("watch"), limit);
    List<Map<String, Object>> events = page.events().stream().map(WatchRoutes::view).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("next", page.next());
    out.put("events", events);
    return Response.json(out);
  }

  private static Double score(String value) {
    try {
      double d = Double.parseDouble(value.trim());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "BAD_PARAMETER", "threshold must be a number, got '" + value + "'");
    }
  }

  private static Map<String, Object> view(Watch w) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", w.id());
    out.put("name", w.name());
    out.put("imageId", w.imageId());
    out.put("threshold", w.threshold());
    out.put("top", w.top());
    out.put("createdAt", w.createdAt());
    out.put("image", PREFIX + w.id() + "/image");
    return out;
  }

  private static Map<String, Object> view(MatchFeed.Numbered n) {
    MatchEvent e = n.event();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", n.seq());
    out.put("watchId", e.watchId());
    out.put("imageId", e.imageId());
    out.put("score", e.score());
    out.put("modelVersion", e.modelVersion());
    out.put("eventTime", e.eventTime());
    out.put("matchTime", e.matchTime());
    return out;
  }

  private static ApiException noWatch(String id) {
    return ApiException.notFound("no watch with id '" + id + "'");
  }

  private static ApiException notAllowed(HttpExchange ex, String allowed) {
    return new ApiException(
        405, "METHOD_NOT_ALLOWED", ex.getRequestMethod() + " not allowed here; use " + allowed);
  }

  @Override
  public void close() throws InterruptedException {
    try {
      store.close();
    } finally {
      feed.close();
    }
  }
}
