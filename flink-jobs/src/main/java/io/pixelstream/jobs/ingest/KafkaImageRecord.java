package io.pixelstream.jobs.ingest;

import java.util.Arrays;

/**
 * A record of the input topic exactly as read: bytes, headers and position. A Flink POJO (public
 * fields, no-arg constructor) so it is serialised without Kryo.
 */
public class KafkaImageRecord {
  public byte[] key;

  /** The image bytes, or null for a tombstone. */
  public byte[] value;

  public String[] headerKeys = new String[0];
  public byte[][] headerValues = new byte[0][];
  public String topic;
  public int partition;
  public long offset;

  /** The Kafka record timestamp, epoch ms. */
  public long timestamp;

  public KafkaImageRecord() {}

  /** The last value of header {@code name}, or null. */
  public byte[] header(String name) {
    for (int i = headerKeys.length - 1; i >= 0; i--) {
      if (headerKeys[i].equals(name)) {
        return headerValues[i];
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "KafkaImageRecord{"
        + topic
        + "-"
        + partition
        + "@"
        + offset
        + ", headers="
        + Arrays.toString(headerKeys)
        + "}";
  }
}
