package io.pixelstream.core.index;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A commit's source position ({@link IndexFields#COMMIT_SOURCE_OFFSETS}): the highest Kafka offset
 * written per {@code topic-partition}, as {@code topic-partition=offset} pairs separated by commas,
 * sorted.
 */
public final class CommitOffsets {

  private CommitOffsets() {}

  /** The key of {@code topic}'s {@code partition} in a commit's source offsets. */
  public static String key(String topic, int partition) {
    return topic + "-" + partition;
  }

  public static String format(Map<String, Long> offsets) {
    return new TreeMap<>(offsets)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  /**
   * The offsets in {@code value} (null or empty: none).
   *
   * @throws IllegalArgumentException when a pair is not {@code topic-partition=offset}
   */
  public static Map<String, Long> parse(String value) {
    Map<String, Long> out = new TreeMap<>();
    if (value == null || value.isEmpty()) {
      return out;
    }
    for (String pair : value.split(",")) {
      int eq = pair.lastIndexOf('=');
      try {
        if (eq <= 0) {
          throw new NumberFormatException("no '='");
        }
        out.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "source offsets must be topic-partition=offset pairs, got '" + pair + "'");
      }
    }
    return out;
  }
}
