package io.pixelstream.bench;

import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.embed.ImageEncoder;
import io.pixelstream.core.fresh.FreshImage;
import io.pixelstream.core.fresh.FreshImageCodec;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import io.pixelstream.query.WatchOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real broker whose fresh-images topic keeps {@code count} images the index does not hold, so
 * that a query API reading it ({@link #watchOptions()}) holds that many while a benchmark measures
 * its searches: what a steady stream leaves held between publishes. After writing them all, it
 * writes them again round-robin at a steady rate, as a stream replaces what is held (each record
 * replaces its id's), so the count holds however long the measurement runs and what is held keeps
 * changing.
 */
final class HeldFreshImages implements AutoCloseable {

  static final String TOPIC = "images.fresh";

  /**
   * The topics a job writing {@link #TOPIC} and a query API reading it need, {@link #TOPIC} with
   * {@code partitions}: the API's {@code --kafka} also serves watches.
   */
  static Map<String, Integer> topics(int partitions) {
    return Map.of(
        TOPIC,
        partitions,
        WatchOptions.DEFAULT_WATCH_TOPIC,
        1,
        WatchOptions.DEFAULT_MATCH_TOPIC,
        1);
  }

  private static final long TICK_MS = 10;

  private final KafkaBroker broker;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ScheduledExecutorService resend;
  private final FreshImage[] images;
  private final int perTick;
  private long offset;
  private int next;

  private HeldFreshImages(KafkaBroker broker, FreshImage[] images, int perSecond) {
    this.broker = broker;
    this.images = images;
    this.perTick = (int) Math.max(1, perSecond * TICK_MS / 1000);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.resend =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "held-fresh-images");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts a broker under {@code dataDir} with the topics a query API's {@code --kafka} needs and
   * {@code images} on the fresh topic, then {@code perSecond} of them again each second (in ticks
   * of 10 ms). Each image's {@code offset} is replaced by a growing one.
   */
  static HeldFreshImages start(Path dataDir, FreshImage[] images, int perSecond) throws Exception {
    KafkaBroker broker = KafkaBroker.builder().dataDir(dataDir).build();
    broker.start();
    KafkaTopics.ensure(broker.bootstrapServers(), topics(1), Duration.ofSeconds(60));
    HeldFreshImages held = new HeldFreshImages(broker, images, perSecond);
    for (int i = 0; i < images.length; i++) {
      held.send(images[i]);
    }
    held.producer.flush();
    if (images.length > 0 && perSecond > 0) {
      held.resend.scheduleAtFixedRate(held::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }
    return held;
  }

  /** The options a query API reads this broker's fresh topic with. */
  WatchOptions watchOptions() {
    return new WatchOptions(
            broker.bootstrapServers(),
            KafkaClientSettings.none(),
            WatchOptions.DEFAULT_WATCH_TOPIC,
            WatchOptions.DEFAULT_MATCH_TOPIC,
            WatchOptions.DEFAULT_MAX_WATCHES)
        .withFreshTopic(TOPIC);
  }

  /**
   * {@code count} images the index does not hold ({@code fresh:0}, ...): the test set's pictures,
   * cycled, embedded by {@code model}, spread over two shards.
   */
  static FreshImage[] images(ModelArtifact model, LabelledImages test, int count) throws Exception {
    float[][] vectors =
        ImageEncoder.embedPixels(model, Arrays.copyOf(test.pixels(), Math.min(count, test.size())));
    Centroids centroids = new Centroids(model.manifest().clustering().centroids());
    FreshImage[] out = new FreshImage[count];
    for (int i = 0; i < count; i++) {
      int t = i % vectors.length;
      out[i] =
          new FreshImage(
              "fresh:" + i,
              false,
              model.version(),
              i % 2,
              "images-0",
              0,
              0,
              vectors[t],
              centroids.nearest(vectors[t]),
              test.labels()[t],
              null,
              ImageEncoding.png(test.pixels()[t], 1, 28, 28));
    }
    return out;
  }

  /** Waits until the query API on {@code port} holds every image, or fails after 60 s. */
  void awaitHeld(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    double held = -1;
    while (System.nanoTime() < deadline) {
      for (PrometheusScrape.Sample s : PrometheusScrape.scrape(port)) {
        if (s.name().equals("pixelstream_query_fresh_images")) {
          held = s.value();
        }
      }
      if (held == images.length) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the query API holds " + held + " fresh images after 60 s, expected " + images.length);
  }

  private void tick() {
    for (int i = 0; i < perTick; i++) {
      send(images[next]);
      next = (next + 1) % images.length;
    }
  }

  private void send(FreshImage f) {
    FreshImage record =
        new FreshImage(
            f.id(),
            false,
            f.modelVersion(),
            f.shard(),
            f.source(),
            offset++,
            System.currentTimeMillis(),
            f.vector(),
            f.cluster(),
            f.label(),
            null,
            f.image());
    producer.send(new ProducerRecord<>(TOPIC, f.id().getBytes(), FreshImageCodec.encode(record)));
  }

  @Override
  public void close() throws Exception {
    resend.shutdownNow();
    producer.close(Duration.ofSeconds(10));
    broker.close();
  }
}
