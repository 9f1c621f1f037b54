package io.pixelstream.core.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import io.pixelstream.core.SchemaFiles;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WatchTopicFormatTest {

  @Test
  void watchesAndMatchEventsRoundTrip() {
    Watch watch = new Watch("w-1", "red shoe", new byte[] {1, 2, 3}, "shoes/1", 0.9, null, 42L);
    Watch read = WatchTopicFormat.readWatch(WatchTopicFormat.write(watch));
    assertThat(read).usingRecursiveComparison().isEqualTo(watch);

    MatchEvent event = new MatchEvent("w-1", "img/7", 0.93, "v1", 10, 20, 30, "images", 1, 99);
    assertThat(WatchTopicFormat.readMatch(WatchTopicFormat.write(event))).isEqualTo(event);
    assertThat(event.identity()).isEqualTo("w-1|images|1|99");
  }

  @Test
  void whatTheFormatWritesMeetsTheContractsInSchemas() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Watch byThreshold = new Watch("w-1", "red shoe", new byte[] {1, 2}, "shoes/1", 0.9, null, 42L);
    Watch byTop = new Watch("w-2", "any", new byte[] {3}, null, null, 10, 43L);
    JsonSchema watchSchema = SchemaFiles.load("watch.schema.json");
    for (Watch w : new Watch[] {byThreshold, byTop}) {
      assertThat(watchSchema.validate(json.readTree(WatchTopicFormat.write(w)))).isEmpty();
    }
    assertThat(
            watchSchema.validate(
                json.readTree(
                    "{\"id\":\"duplicate\",\"name\":\"n\",\"image\":\"AQ==\",\"top\":1,\"createdAt\":1}")))
        .as("the reserved id")
        .isNotEmpty();
    MatchEvent event = new MatchEvent("w-1", "img/7", 0.93, "v1", 10, 20, 30, "images", 1, 99);
    assertThat(
            SchemaFiles.load("match-event.schema.json")
                .validate(json.readTree(WatchTopicFormat.write(event))))
        .isEmpty();
  }

  @Test
  void theImageTravelsAsBase64AndUnknownFieldsAreSkipped() {
    String json =
        "{\"id\":\"w\",\"name\":\"n\",\"image\":\"AQID\",\"top\":5,\"createdAt\":1,\"future\":true}";
    Watch watch = WatchTopicFormat.readWatch(json.getBytes(StandardCharsets.UTF_8));
    assertThat(watch.image()).containsExactly(1, 2, 3);
    assertThat(watch.top()).isEqualTo(5);
    assertThat(watch.threshold()).isNull();
  }

  @Test
  void badValuesNameWhatIsWrong() {
    assertThatThrownBy(() -> WatchTopicFormat.readWatch(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty Watch");
    assertThatThrownBy(
            () -> WatchTopicFormat.readWatch("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad Watch: ");
    byte[] both =
        "{\"id\":\"w\",\"name\":\"n\",\"image\":\"AQID\",\"top\":5,\"threshold\":0.5}"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> WatchTopicFormat.readWatch(both))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad Watch: a watch has either a threshold or a top, not both");
    byte[] badId =
        "{\"id\":\"a b\",\"name\":\"n\",\"image\":\"AQID\",\"top\":5}"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> WatchTopicFormat.readWatch(badId))
        .hasMessageContaining("watch id must be 1-64 characters");
  }

  @Test
  void theDuplicateWatchIdIsReserved() {
    assertThatThrownBy(() -> new Watch(Watch.DUPLICATE, "n", new byte[] {1}, null, 0.5, null, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
