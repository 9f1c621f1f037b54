package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.fresh.FreshImage;
import io.pixelstream.core.fresh.FreshImageCodec;
import io.pixelstream.core.index.IndexLayout;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class FreshImageSerializerTest {

  static ImageEvent embedded(String id) {
    ImageEvent e = new ImageEvent();
    e.id = id;
    e.vector = new float[] {1, 2};
    e.cluster = 3;
    e.label = 4;
    e.image = new byte[] {5, 6};
    e.modelVersion = "v1";
    e.eventTime = 1_000;
    e.topic = "images";
    e.partition = 2;
    e.offset = 77;
    return e;
  }

  @Test
  void writesTheImageKeyedByIdWithItsShardAndSourcePosition() {
    ProducerRecord<byte[], byte[]> r =
        new FreshImageSerializer("images.fresh", 4).serialize(embedded("a/9"), null, null);
    assertThat(r.topic()).isEqualTo("images.fresh");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("a/9");
    assertThat(r.timestamp()).as("the producer's, when it sends the record").isNull();
    FreshImage f = FreshImageCodec.decode(r.value());
    assertThat(f.eventTime()).as("the image's own").isEqualTo(1_000);
    assertThat(f.shard()).isEqualTo(IndexLayout.shardFor("a/9", 4));
    assertThat(f.source()).as("as the shard's commits record it").isEqualTo("images-2");
    assertThat(f.offset()).isEqualTo(77);
    assertThat(f.modelVersion()).isEqualTo("v1");
    assertThat(f.vector()).containsExactly(1, 2);
    assertThat(f.image()).containsExactly(5, 6);
    assertThat(f.label()).isEqualTo(4);
  }

  @Test
  void aDeleteIsATombstone() {
    ImageEvent delete = new ImageEvent();
    delete.id = "b";
    delete.deleted = true;
    delete.topic = "images";
    delete.offset = 5;
    FreshImage f = FreshImageSerializer.fresh(delete, 2);
    assertThat(f.deleted()).isTrue();
    assertThat(f.shard()).isEqualTo(IndexLayout.shardFor("b", 2));
    assertThat(f.offset()).isEqualTo(5);
  }
}
