package io.pixelstream.bench;

import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.WatchTopicFormat;
import io.pixelstream.deploy.kafka.TopicTail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a match topic on a thread of its own and keeps, per event, produce -> received here: the
 * image record's timestamp (the producer's clock, this machine's) to the moment this consumer got
 * the event.
 */
final class MatchTimes implements AutoCloseable {

  private final List<Double> receivedMs = new ArrayList<>();
  private final TopicTail tail;

  MatchTimes(String bootstrap, String topic) {
    tail =
        new TopicTail(
            bootstrap,
            topic,
            Duration.ofMillis(20),
            (r, receivedAt) -> {
              MatchEvent e = WatchTopicFormat.readMatch(r.value());
              synchronized (receivedMs) {
                receivedMs.add((double) (receivedAt - e.eventTime()));
              }
            });
  }

  int count() {
    tail.checkFailure();
    synchronized (receivedMs) {
      return receivedMs.size();
    }
  }

  /** Produce -> received, ms, of the events after the first {@code skip}. */
  double[] after(int skip) {
    synchronized (receivedMs) {
      return receivedMs.subList(Math.min(skip, receivedMs.size()), receivedMs.size()).stream()
          .mapToDouble(Double::doubleValue)
          .toArray();
    }
  }

  @Override
  public void close() throws InterruptedException {
    tail.close();
  }
}
