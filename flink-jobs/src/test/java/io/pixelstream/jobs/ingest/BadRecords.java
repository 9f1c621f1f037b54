package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.deploy.kafka.ImageProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The 20 bad records the ingest ITCases send beside good images (junk, truncated PNG and JPEG, bad
 * ids and labels, decompression bombs, wrong sizes), each with the reason the dead-letter topic
 * must give.
 */
final class BadRecords {

  private BadRecords() {}

  /**
   * Sends the bad records.
   *
   * @return key ("&lt;null&gt;" for none) to the expected reason
   */
  static Map<String, String> produce(ImageProducer producer, LabelledImages images) {
    Map<String, String> expected = new HashMap<>();
    byte[] goodPng = ImageEncoding.png(images.pixels()[0], 1, 28, 28);
    Random random = new Random(20);
    for (int i = 0; i < 4; i++) {
      byte[] junk = new byte[500];
      random.nextBytes(junk);
      junk[0] = 'x';
      bad(producer, expected, "bad-junk-" + i, junk, null, "UNSUPPORTED_FORMAT");
    }
    for (int i = 0; i < 4; i++) {
      byte[] png = ImageEncoding.png(images.pixels()[i], 1, 28, 28);
      bad(
          producer,
          expected,
          "bad-truncated-png-" + i,
          Arrays.copyOf(png, png.length / 2),
          null,
          "UNDECODABLE_IMAGE");
    }
    for (int i = 0; i < 2; i++) {
      byte[] jpeg = ImageEncoding.jpeg(TestImages.randomPixels(1, 64, 64, i), 1, 64, 64);
      bad(
          producer,
          expected,
          "bad-truncated-jpeg-" + i,
          Arrays.copyOf(jpeg, jpeg.length / 2),
          null,
          "UNDECODABLE_IMAGE");
    }
    bad(producer, expected, "has space", goodPng, null, "BAD_ID");
    bad(producer, expected, "x".repeat(300), goodPng, null, "BAD_ID");
    bad(producer, expected, null, goodPng, null, "BAD_ID");
    bad(producer, expected, "bad-label-word", goodPng, "cat", "BAD_LABEL");
    bad(producer, expected, "bad-label-negative", goodPng, "-3", "BAD_LABEL");
    bad(
        producer,
        expected,
        "bad-bomb-0",
        TestImages.pngHeaderOnly(60_000, 60_000),
        null,
        "WRONG_SIZE");
    bad(producer, expected, "bad-bomb-1", TestImages.pngHeaderOnly(5000, 3), null, "WRONG_SIZE");
    bad(
        producer,
        expected,
        "bad-tiny",
        ImageEncoding.png(new byte[16], 1, 4, 4),
        null,
        "WRONG_SIZE");
    bad(
        producer,
        expected,
        "bad-huge",
        ImageEncoding.png(TestImages.randomPixels(1, 400, 400, 9), 1, 400, 400),
        null,
        "TOO_LARGE");
    producer.sendRaw("bad id!".getBytes(StandardCharsets.UTF_8), null, new RecordHeaders());
    expected.put("bad id!", "BAD_ID");
    return expected;
  }

  /** {@code dlqTopic} holds exactly {@code expected}'s records, each with its reason. */
  static void assertDeadLettered(String bootstrap, String dlqTopic, Map<String, String> expected) {
    List<ConsumerRecord<byte[], byte[]>> dlq =
        IngestFixtures.readAll(bootstrap, dlqTopic, expected.size(), Duration.ofSeconds(30));
    assertThat(dlq).hasSize(expected.size());
    for (ConsumerRecord<byte[], byte[]> r : dlq) {
      String key = r.key() == null ? "<null>" : new String(r.key(), StandardCharsets.UTF_8);
      String error = new String(r.headers().lastHeader("error").value(), StandardCharsets.UTF_8);
      assertThat(expected).containsKey(key);
      assertThat(error).as("error of %s", key).startsWith(expected.get(key) + ": ");
      assertThat(r.headers().lastHeader("source.offset")).isNotNull();
    }
    assertThat(dlq)
        .extracting(r -> r.key() == null ? "<null>" : new String(r.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
  }

  private static void bad(
      ImageProducer producer,
      Map<String, String> expected,
      String id,
      byte[] value,
      String label,
      String reason) {
    RecordHeaders headers = new RecordHeaders();
    if (label != null) {
      headers.add("label", label.getBytes(StandardCharsets.UTF_8));
    }
    producer.sendRaw(id == null ? null : id.getBytes(StandardCharsets.UTF_8), value, headers);
    expected.put(id == null ? "<null>" : id, reason);
  }
}
