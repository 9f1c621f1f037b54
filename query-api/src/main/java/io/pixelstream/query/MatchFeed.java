package io.pixelstream.query;

import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.WatchTopicFormat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest match events, for clients that poll ({@code GET /v1/matches?after=SEQ}): the match
 * topic is read on a thread of its own, starting {@code capacity} records before each partition's
 * end, and the last {@code capacity} events are kept, each with a sequence number of this feed.
 */
final class MatchFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MatchFeed.class);

  /** An event and its place in this feed. */
  record Numbered(long seq, MatchEvent event) {}

  /** Events after a sequence number, and the number to ask after next time. */
  record Page(List<Numbered> events, long next) {}

  private final WatchOptions options;
  private final int capacity;
  private final Deque<Numbered> newest = new ArrayDeque<>();
  private long seq;
  private final TopicFollower reader;

  MatchFeed(WatchOptions options, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.options = options;
    this.capacity = capacity;
    reader =
        new TopicFollower(
            options, options.matchTopic(), Duration.ofMillis(100), "match-feed", reading());
  }

  /**
   * Up to {@code limit} events numbered above {@code after}, oldest first, of {@code watchId} only
   * unless it is null.
   */
  synchronized Page after(long after, String watchId, int limit) {
    List<Numbered> out = new ArrayList<>();
    for (Numbered n : newest) {
      if (n.seq > after && (watchId == null || n.event.watchId().equals(watchId))) {
        out.add(n);
        if (out.size() == limit) {
          return new Page(out, n.seq);
        }
      }
    }
    return new Page(out, seq);
  }

  private synchronized void add(MatchEvent e) {
    newest.addLast(new Numbered(++seq, e));
    if (newest.size() > capacity) {
      newest.removeFirst();
    }
  }

  private TopicFollower.Reading reading() {
    return new TopicFollower.Reading() {
      private final Map<TopicPartition, Long> resumeAt = new HashMap<>();

      @Override
      public void start(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        if (resumeAt.isEmpty()) {
          for (Map.Entry<TopicPartition, Long> e : consumer.endOffsets(partitions).entrySet()) {
            resumeAt.put(e.getKey(), Math.max(0, e.getValue() - capacity));
          }
        }
        for (TopicPartition tp : partitions) {
          consumer.seek(tp, resumeAt.getOrDefault(tp, 0L));
        }
      }

      @Override
      public void accept(ConsumerRecord<byte[], byte[]> r) {
        resumeAt.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        try {
          add(WatchTopicFormat.readMatch(r.value()));
        } catch (IllegalArgumentException e) {
          LOG.warn("skipping record {} of {}: {}", r.offset(), r.topic(), e.getMessage());
        }
      }
    };
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
