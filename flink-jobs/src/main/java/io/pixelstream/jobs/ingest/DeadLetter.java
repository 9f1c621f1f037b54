package io.pixelstream.jobs.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An input record that was refused, with the reason; written to the dead-letter topic. */
public class DeadLetter {

  /** The smallest {@code kafka.dlq-max-record-bytes}: room for a cut key and a few headers. */
  public static final int MIN_RECORD_BYTES = 16 * 1024;

  /** How much of a key or a header value an oversized dead letter keeps. */
  static final int KEPT_BYTES = 1024;

  /** How many headers an oversized dead letter keeps. */
  static final int KEPT_HEADERS = 8;

  public KafkaImageRecord record;

  /** {@code "<REASON>: <message>"}, see {@code RejectReason}. */
  public String error;

  /** What was left out of {@link #record} to fit the dead-letter topic, or null. */
  public String omitted;

  public DeadLetter() {}

  public DeadLetter(KafkaImageRecord record, String error) {
    this.record = record;
    this.error = error;
  }

  /**
   * The dead letter for {@code record}: the record as read when it fits in {@code maxRecordBytes},
   * else its position with the value left out, the key and header values cut to {@link #KEPT_BYTES}
   * and at most {@link #KEPT_HEADERS} headers, so that a 100 MB value cannot stall the dead-letter
   * sink (or hold its memory) on the topic's size limit.
   */
  public static DeadLetter of(KafkaImageRecord record, String error, int maxRecordBytes) {
    if (size(record) <= maxRecordBytes) {
      return new DeadLetter(record, error);
    }
    List<String> omitted = new ArrayList<>();
    KafkaImageRecord small = new KafkaImageRecord();
    small.topic = record.topic;
    small.partition = record.partition;
    small.offset = record.offset;
    small.timestamp = record.timestamp;
    if (record.value != null) {
      small.value = new byte[0];
      omitted.add("value (" + record.value.length + " bytes)");
    }
    small.key = cut(record.key, "key", omitted);
    int headers = Math.min(record.headerKeys.length, KEPT_HEADERS);
    if (headers < record.headerKeys.length) {
      omitted.add(
          (record.headerKeys.length - headers) + " of " + record.headerKeys.length + " headers");
    }
    small.headerKeys = new String[headers];
    small.headerValues = new byte[headers][];
    for (int i = 0; i < headers; i++) {
      small.headerKeys[i] = cutKey(record.headerKeys[i]);
      small.headerValues[i] = cut(record.headerValues[i], "header " + small.headerKeys[i], omitted);
    }
    DeadLetter letter = new DeadLetter(small, error);
    letter.omitted = String.join(", ", omitted);
    return letter;
  }

  /**
   * The dead letter for an event refused after decoding: its input record rebuilt from the event
   * (id as key, the image bytes, its label and source headers, its position).
   */
  public static DeadLetter of(ImageEvent event, String error, int maxRecordBytes) {
    KafkaImageRecord r = new KafkaImageRecord();
    r.topic = event.topic;
    r.partition = event.partition;
    r.offset = event.offset;
    r.timestamp = event.eventTime;
    r.key = event.id.getBytes(StandardCharsets.UTF_8);
    r.value = event.image;
    List<String> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    if (event.label != null) {
      keys.add("label");
      values.add(Integer.toString(event.label).getBytes(StandardCharsets.UTF_8));
    }
    if (event.source != null) {
      keys.add("source");
      values.add(event.source.getBytes(StandardCharsets.UTF_8));
    }
    r.headerKeys = keys.toArray(String[]::new);
    r.headerValues = values.toArray(byte[][]::new);
    return of(r, error, maxRecordBytes);
  }

  private static byte[] cut(byte[] bytes, String what, List<String> omitted) {
    if (bytes == null || bytes.length <= KEPT_BYTES) {
      return bytes;
    }
    omitted.add(what + " cut from " + bytes.length + " to " + KEPT_BYTES + " bytes");
    return Arrays.copyOf(bytes, KEPT_BYTES);
  }

  private static String cutKey(String key) {
    return key.length() <= 64 ? key : key.substring(0, 64);
  }

  /** Bytes the record takes on the wire, roughly: key, value, header keys and values. */
  static long size(KafkaImageRecord r) {
    long n = (r.key == null ? 0 : r.key.length) + (r.value == null ? 0 : r.value.length);
    for (int i = 0; i < r.headerKeys.length; i++) {
      n += r.headerKeys[i].getBytes(StandardCharsets.UTF_8).length + r.headerValues[i].length;
    }
    return n;
  }
}
