package io.pixelstream.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Who may reach the API and how much it takes on: the address it binds, an optional bearer token
 * for the {@code /v1/} endpoints, and how many requests may wait for a request thread before new
 * ones are turned away with 429.
 *
 * @param host address to bind; {@code 127.0.0.1} (the default) keeps the API on this machine,
 *     {@code 0.0.0.0} opens it to the network (a container behind a Service)
 * @param token when not null, every {@code /v1/} request needs {@code Authorization: Bearer
 *     <token>}; {@code /healthz}, {@code /metrics} and the page stay open
 * @param maxQueued requests waiting for a request thread beyond which the API answers 429
 */
public record ApiAccess(String host, String token, int maxQueued) {

  /** Loopback only, no token, 256 waiting requests. */
  public static final ApiAccess LOCAL = new ApiAccess("127.0.0.1", null, 256);

  /** Shortest token accepted: a guessable one is worse than none, it looks safe. */
  static final int MIN_TOKEN_LENGTH = 16;

  /** The server's own queue; the limit must stay under it so 429 comes before refusal. */
  static final int QUEUE_CAPACITY = 1024;

  public ApiAccess {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("--host must name an address, e.g. 127.0.0.1");
    }
    if (token != null && token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "the API token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
    if (maxQueued < 0 || maxQueued >= QUEUE_CAPACITY) {
      throw new IllegalArgumentException(
          "--max-queued must be in 0.." + (QUEUE_CAPACITY - 1) + ", got " + maxQueued);
    }
  }

  /** Reads the token from the first line of {@code file} (trimmed). */
  static String readToken(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline).strip();
  }

  /** Whether an {@code Authorization} header value carries the token (constant-time compare). */
  boolean admits(String authorization) {
    if (token == null) {
      return true;
    }
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    byte[] given =
        authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ApiAccess[host="
        + host
        + ", token="
        + (token == null ? "none" : "set")
        + ", maxQueued="
        + maxQueued
        + "]";
  }
}
