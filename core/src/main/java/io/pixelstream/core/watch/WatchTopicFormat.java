package io.pixelstream.core.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON values of the watches topic ({@link Watch}, the image base64) and the match topic
 * ({@link MatchEvent}); {@code schemas/watch.schema.json} and {@code
 * schemas/match-event.schema.json} are their contracts. Fields a reader does not know are skipped,
 * so a newer writer does not break an older reader.
 */
public final class WatchTopicFormat {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private WatchTopicFormat() {}

  public static byte[] write(Watch watch) {
    return bytes(watch);
  }

  public static byte[] write(MatchEvent event) {
    return bytes(event);
  }

  /**
   * The watch in {@code value}.
   *
   * @throws IllegalArgumentException naming what is wrong, for a value that is not a valid watch
   */
  public static Watch readWatch(byte[] value) {
    return read(value, Watch.class);
  }

  /** The match event in {@code value}; see {@link #readWatch}. */
  public static MatchEvent readMatch(byte[] value) {
    return read(value, MatchEvent.class);
  }

  private static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(byte[] value, Class<T> type) {
    String what = type.getSimpleName();
    if (value == null || value.length == 0) {
      throw new IllegalArgumentException("empty " + what);
    }
    try {
      return JSON.readValue(value, type);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException("bad " + what + ": " + cause.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad " + what + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad " + what + ": " + e.getMessage(), e);
    }
  }
}
