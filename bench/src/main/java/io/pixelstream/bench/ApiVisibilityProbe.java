package io.pixelstream.bench;

import io.pixelstream.deploy.kafka.ImageProducer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Freshness as a user sees it: polls the query API for sampled ids ({@code GET /v1/images/{id}},
 * 404 until a refreshed searcher, or with {@code --fresh-topic} the API's fresh images, hold the
 * image) and records produce -> answerable latencies. Each poll asks for the pending ids oldest
 * first and stops at the first one not yet answerable: asking for every pending id made each poll
 * longer than the last under load (each request takes milliseconds while the job holds the cores),
 * so the measurement fed on itself. Exact for one partition, which commits in order; with several,
 * an id can wait behind an older one from a partition not yet committed. Resolution: the poll
 * interval plus the requests before it in its poll.
 */
final class ApiVisibilityProbe implements Runnable, AutoCloseable {

  private record Pending(String id, long sentAt) {}

  private final int port;
  private final long pollMs;
  private final ConcurrentLinkedQueue<Pending> added = new ConcurrentLinkedQueue<>();
  private final List<Pending> pending = new ArrayList<>();
  private final List<Long> latencies = new ArrayList<>();
  private volatile boolean stopped;
  private volatile Exception failure;
  private final Thread thread = new Thread(this, "api-visibility-probe");

  ApiVisibilityProbe(int port, long pollMs) {
    this.port = port;
    this.pollMs = pollMs;
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Produces {@code n} images named {@code prefix + i} at {@code rate} per second and follows every
   * {@code every}-th one after the first {@code skip} through the query API on {@code port}.
   *
   * @return their produce -> answerable latencies in ms
   */
  static double[] measure(
      ImageProducer producer,
      int port,
      String prefix,
      byte[][] pngs,
      int[] labels,
      int n,
      int rate,
      int skip,
      int every)
      throws InterruptedException {
    try (ApiVisibilityProbe probe = new ApiVisibilityProbe(port, 20)) {
      BenchImages.produceAtRate(
          producer,
          prefix,
          pngs,
          n,
          rate,
          labels,
          (i, sentAt) -> {
            if (i >= skip && i % every == 0) {
              probe.watch(prefix + i, sentAt);
            }
          });
      return probe.drain(600_000);
    }
  }

  /** Starts watching {@code id}, produced at {@code sentAt} (epoch ms). */
  void watch(String id, long sentAt) {
    added.add(new Pending(id, sentAt));
  }

  /** Waits until every watched id answered; returns and forgets their latencies in ms. */
  synchronized double[] drain(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!added.isEmpty() || pendingCount() > 0) {
      if (failure != null) {
        throw new IllegalStateException("probe failed", failure);
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(pendingCount() + " ids never became answerable");
      }
      Thread.sleep(pollMs);
    }
    return take();
  }

  /** The latencies measured since the last call, without waiting for the rest; forgets them. */
  double[] take() {
    if (failure != null) {
      throw new IllegalStateException("probe failed", failure);
    }
    synchronized (latencies) {
      double[] out = latencies.stream().mapToDouble(Long::doubleValue).toArray();
      latencies.clear();
      return out;
    }
  }

  private int pendingCount() {
    synchronized (pending) {
      return pending.size();
    }
  }

  @Override
  public void run() {
    try (KeepAliveClient http = new KeepAliveClient("127.0.0.1", port)) {
      while (!stopped) {
        long next = System.currentTimeMillis() + pollMs;
        synchronized (pending) {
          for (Pending p = added.poll(); p != null; p = added.poll()) {
            pending.add(p);
          }
          for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            int status = http.get(path(p.id())).status();
            if (status == 200) {
              long at = System.currentTimeMillis();
              synchronized (latencies) {
                latencies.add(at - p.sentAt());
              }
              it.remove();
            } else if (status == 404) {
              break; // younger ids are not searchable either: one partition commits in order
            } else {
              throw new IOException("HTTP " + status + " for " + p.id());
            }
          }
        }
        long wait = next - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String path(String id) {
    return "/v1/images/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5_000);
  }
}
