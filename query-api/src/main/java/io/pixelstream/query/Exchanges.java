package io.pixelstream.query;

import com.sun.net.httpserver.HttpExchange;
import io.pixelstream.core.ingest.RejectedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading requests for the routes: methods, content types, bodies within a cap, parameters. */
final class Exchanges {

  private static final Logger LOG = LoggerFactory.getLogger(Exchanges.class);

  private Exchanges() {}

  /** Refuses a request whose Content-Type says it is no image (none is taken as one). */
  static void requireImageType(HttpExchange ex) {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type != null
        && !type.startsWith("image/")
        && !type.startsWith("application/octet-stream")) {
      throw new ApiException(
          415, "UNSUPPORTED_MEDIA_TYPE", "send the image as image/png or image/jpeg, not " + type);
    }
  }

  static void requireMethod(HttpExchange ex, String method) {
    if (!ex.getRequestMethod().equals(method)) {
      throw new ApiException(
          405, "METHOD_NOT_ALLOWED", ex.getRequestMethod() + " not allowed here; use " + method);
    }
  }

  static byte[] readBody(HttpExchange ex, int max) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("BAD_REQUEST", "bad Content-Length: " + length);
      }
      if (declared > max) {
        throw tooLarge(declared + " bytes", max);
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(max + 1);
      if (body.length > max) {
        throw tooLarge("more than " + max + " bytes", max);
      }
      return body;
    }
  }

  static void drain(HttpExchange ex, long limit) {
    try {
      InputStream in = ex.getRequestBody();
      byte[] sink = new byte[8192];
      long left = limit;
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      LOG.debug("could not drain the request body: {}", e.toString());
    }
  }

  /** The status of an image the service refused. */
  static int statusOf(RejectedInputException e) {
    return switch (e.reason()) {
      case TOO_LARGE -> 413;
      case UNSUPPORTED_FORMAT -> 415;
      default -> 400;
    };
  }

  private static ApiException tooLarge(String what, int max) {
    return new ApiException(413, "TOO_LARGE", "image of " + what + " exceeds the cap of " + max);
  }

  static Map<String, String> params(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String query = ex.getRequestURI().getRawQuery();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(name, value);
    }
    return out;
  }

  static int intParam(Map<String, String> params, String name, int fallback, int min, int max) {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("BAD_PARAMETER", name + " must be an integer, got '" + v + "'");
    }
    if (value < min || value > max) {
      throw ApiException.badRequest(
          "BAD_PARAMETER", name + " must be in " + min + ".." + max + ", got " + value);
    }
    return value;
  }
}
