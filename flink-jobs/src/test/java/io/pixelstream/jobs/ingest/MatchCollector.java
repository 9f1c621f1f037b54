package io.pixelstream.jobs.ingest;

import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.WatchTopicFormat;
import io.pixelstream.deploy.kafka.TopicTail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads the match topic from its start on a thread of its own, for the watch ITCases. */
final class MatchCollector implements AutoCloseable {

  private final List<MatchEvent> events = new ArrayList<>();
  private final TopicTail tail;

  MatchCollector(String bootstrap, String topic) {
    tail =
        new TopicTail(
            bootstrap,
            topic,
            Duration.ofMillis(100),
            (r, receivedAt) -> {
              MatchEvent e = WatchTopicFormat.readMatch(r.value());
              synchronized (events) {
                events.add(e);
              }
            });
  }

  List<MatchEvent> events() {
    tail.checkFailure();
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Waits until an event satisfies {@code condition}; fails after {@code timeout}. */
  MatchEvent await(Predicate<MatchEvent> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (MatchEvent e : events()) {
        if (condition.test(e)) {
          return e;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such match event after " + timeout + "; have " + events().size());
  }

  /** Waits until at least {@code n} events arrived; fails after {@code timeout}. */
  void awaitCount(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (events().size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + events().size() + " of " + n + " match events");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws InterruptedException {
    tail.close();
  }
}
