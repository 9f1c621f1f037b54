package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  private static KafkaImageRecord record(int keyBytes, int valueBytes, int headers) {
    KafkaImageRecord r = new KafkaImageRecord();
    r.key = new byte[keyBytes];
    Arrays.fill(r.key, (byte) 'k');
    r.value = new byte[valueBytes];
    r.headerKeys = new String[headers];
    r.headerValues = new byte[headers][];
    for (int i = 0; i < headers; i++) {
      r.headerKeys[i] = "h" + i;
      r.headerValues[i] = "v".getBytes(StandardCharsets.UTF_8);
    }
    r.topic = "images";
    r.partition = 1;
    r.offset = 42;
    r.timestamp = 7;
    return r;
  }

  @Test
  void aRecordThatFitsIsKeptAsRead() {
    KafkaImageRecord r = record(10, 5000, 2);
    DeadLetter letter = DeadLetter.of(r, "TOO_LARGE: x", 1_000_000);
    assertThat(letter.record).isSameAs(r);
    assertThat(letter.omitted).isNull();
  }

  @Test
  void aHugeValueIsLeftOutAndSaidSo() {
    KafkaImageRecord r = record(10, 100 << 20, 2);
    DeadLetter letter = DeadLetter.of(r, "TOO_LARGE: x", 1_000_000);
    assertThat(letter.record.value).isEmpty();
    assertThat(letter.record.key).isEqualTo(r.key);
    assertThat(letter.record.headerKeys).containsExactly("h0", "h1");
    assertThat(letter.record.offset).isEqualTo(42);
    assertThat(letter.record.partition).isEqualTo(1);
    assertThat(letter.record.topic).isEqualTo("images");
    assertThat(letter.omitted).isEqualTo("value (104857600 bytes)");
    assertThat(DeadLetter.size(letter.record)).isLessThanOrEqualTo(1_000_000);
  }

  @Test
  void aHugeKeyAndManyHeadersAreCut() {
    KafkaImageRecord r = record(2_000_000, 10, 20);
    DeadLetter letter = DeadLetter.of(r, "BAD_ID: x", 1_000_000);
    assertThat(letter.record.key).hasSize(DeadLetter.KEPT_BYTES);
    assertThat(letter.record.headerKeys).hasSize(DeadLetter.KEPT_HEADERS);
    assertThat(letter.omitted)
        .contains("value (10 bytes)")
        .contains("key cut from 2000000 to 1024 bytes")
        .contains("12 of 20 headers");
  }

  @Test
  void aTombstoneStaysOne() {
    KafkaImageRecord r = record(2_000_000, 0, 0);
    r.value = null;
    DeadLetter letter = DeadLetter.of(r, "BAD_ID: x", 1_000_000);
    assertThat(letter.record.value).isNull();
    assertThat(letter.omitted).isEqualTo("key cut from 2000000 to 1024 bytes");
  }
}
