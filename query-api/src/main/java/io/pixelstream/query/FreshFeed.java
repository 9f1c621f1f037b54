package io.pixelstream.query;

import io.pixelstream.core.fresh.FreshImage;
import io.pixelstream.core.fresh.FreshImageCodec;
import io.pixelstream.core.fresh.FreshImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ingestion job's fresh-images topic ({@code --fresh-topic}) into {@link FreshImages}, on
 * a thread of its own, starting {@link #LOOKBACK} before now (what is older the index already
 * holds) and after a reconnect where it left off. A record it cannot read is logged and counted,
 * and the feed goes on.
 */
final class FreshFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FreshFeed.class);

  /** How far back a new feed starts reading. */
  static final Duration LOOKBACK = Duration.ofSeconds(30);

  /**
   * Images held at most: the shards publish within a second, so a few thousand at most are held at
   * a time; this bounds memory (about 150 MB of CIFAR-10-sized records) when they do not.
   */
  static final int MAX_IMAGES = 50_000;

  /** How long an image is held at most, should its shard never publish it. */
  static final Duration MAX_AGE = Duration.ofMinutes(2);

  /**
   * Fetches of up to 64 KB or 10 ms, whichever comes first: under load a fetch per record would
   * cost the broker and this API more CPU than the records themselves.
   */
  private static final Map<String, String> FETCH =
      Map.of(
          ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
          Integer.toString(64 << 10),
          ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
          "10");

  private final FreshImages images = new FreshImages(MAX_IMAGES, MAX_AGE.toMillis());
  private final AtomicLong refused = new AtomicLong();
  private volatile HeldListener heldListener = (sinceProducedMs, sinceWrittenMs) -> {};
  private final TopicFollower reader;

  FreshFeed(WatchOptions options) {
    reader =
        new TopicFollower(
            options, FETCH, options.freshTopic(), Duration.ofMillis(100), "fresh-feed", reading());
  }

  FreshImages images() {
    return images;
  }

  /** Records skipped because they could not be read. */
  long refused() {
    return refused.get();
  }

  /** Told of each record held, when searches see it. */
  interface HeldListener {
    /**
     * @param sinceProducedMs from the image's timestamp in the images topic (normally when it was
     *     produced, by the producer's clock)
     * @param sinceWrittenMs from the job writing the record to the fresh topic (by the job's clock)
     */
    void held(long sinceProducedMs, long sinceWrittenMs);
  }

  void onHeld(HeldListener listener) {
    this.heldListener = listener;
  }

  private TopicFollower.Reading reading() {
    return new TopicFollower.Reading() {
      private final Map<TopicPartition, Long> resumeAt = new HashMap<>();

      @Override
      public void start(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = System.currentTimeMillis() - LOOKBACK.toMillis();
        partitions.forEach(tp -> since.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
          Long at = resumeAt.get(tp);
          if (at == null) {
            OffsetAndTimestamp t = found.get(tp);
            at = t == null ? ends.get(tp) : t.offset();
          }
          consumer.seek(tp, at);
        }
      }

      /** What the poll brought: held all at once, so searches see one change per poll. */
      private final List<FreshImage> batch = new ArrayList<>();

      /** When the job wrote each of the batch's records (their timestamps). */
      private final List<Long> timestamps = new ArrayList<>();

      @Override
      public void accept(ConsumerRecord<byte[], byte[]> r) {
        resumeAt.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        try {
          batch.add(FreshImageCodec.decode(r.value()));
          timestamps.add(r.timestamp());
        } catch (IllegalArgumentException e) {
          refused.incrementAndGet();
          LOG.warn("skipping record {} of {}: {}", r.offset(), r.topic(), e.getMessage());
        }
      }

      @Override
      public void polled(KafkaConsumer<byte[], byte[]> consumer) {
        if (!batch.isEmpty()) {
          images.acceptAll(batch);
          long now = System.currentTimeMillis();
          HeldListener listener = heldListener;
          for (int i = 0; i < batch.size(); i++) {
            listener.held(
                Math.max(0, now - batch.get(i).eventTime()), Math.max(0, now - timestamps.get(i)));
          }
          batch.clear();
          timestamps.clear();
        }
      }
    };
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
