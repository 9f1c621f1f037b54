package io.pixelstream.bench;

import io.pixelstream.deploy.kafka.ImageProducer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Freshness as a user sees it: polls the query API for sampled ids ({@code GET /v1/images/{id}},
 * 404 until a refreshed searcher, or with {@code --fresh-topic} the API's fresh images, hold the
 * image) and records produce -> answerable latencies. Each poll asks for the pending ids oldest
 * first and stops at the first one not yet answerable: asking for every pending id made each poll
 * longer than the last under load (each request takes milliseconds while the job holds the cores),
 * so the measurement fed on itself. Exact for one partition, which commits in order; with several,
 * an id can wait behind an older one from a partition not yet committed. Resolution: the poll
 * interval plus the requests before it in its poll.
 *
 * <p>The watched ids can be dealt round-robin to several lanes, each polling its own ids on its own
 * thread and connection: over SolrCloud a lookup took 30 ms (p50) under load, so one lane could not
 * ask as fast as sampled ids arrived and measured its own backlog (docs/benchmarks.md). Each lane
 * asks at least once per poll, so the embedded shard, whose lookups take a few ms, keeps one.
 */
final class ApiVisibilityProbe implements AutoCloseable {

  private record Pending(String id, long sentAt) {}

  private final int port;
  private final long pollMs;
  private final List<Lane> lanes = new ArrayList<>();
  private final AtomicLong dealt = new AtomicLong();
  private final List<Long> latencies = new ArrayList<>();

  /** Each request's time in ms, kept only for {@link #measure}'s bounded runs (null otherwise). */
  private final List<Double> requestMillis;

  private volatile boolean stopped;
  private volatile Exception failure;

  ApiVisibilityProbe(int port, long pollMs) {
    this(port, pollMs, 1, false);
  }

  private ApiVisibilityProbe(int port, long pollMs, int lanes, boolean timeRequests) {
    this.port = port;
    this.pollMs = pollMs;
    this.requestMillis = timeRequests ? new ArrayList<>() : null;
    for (int i = 0; i < lanes; i++) {
      Lane lane = new Lane("api-visibility-probe-" + i);
      this.lanes.add(lane);
      lane.thread.start();
    }
  }

  /**
   * Produces {@code n} images named {@code prefix + i} at {@code rate} per second and follows every
   * {@code every}-th one after the first {@code skip} through the query API on {@code port}, on
   * {@code lanes} threads each with its share of the ids (see the class comment).
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
      int every,
      int lanes)
      throws InterruptedException {
    try (ApiVisibilityProbe probe = new ApiVisibilityProbe(port, 20, lanes, true)) {
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
      double[] latencies = probe.drain(600_000);
      double[] requests = probe.requestMillis();
      System.out.printf(
          "  probe: %d requests to the API, p50 %.2f p99 %.2f ms each%n",
          requests.length, Stats.percentile(requests, 50), Stats.percentile(requests, 99));
      return latencies;
    }
  }

  /** Starts watching {@code id}, produced at {@code sentAt} (epoch ms). */
  void watch(String id, long sentAt) {
    lanes.get((int) (dealt.getAndIncrement() % lanes.size())).added.add(new Pending(id, sentAt));
  }

  /** Waits until every watched id answered; returns and forgets their latencies in ms. */
  synchronized double[] drain(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (pendingCount() > 0) {
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

  /** How long each request the probe sent took, in ms, since it started ({@link #measure} only). */
  double[] requestMillis() {
    if (requestMillis == null) {
      return new double[0];
    }
    synchronized (requestMillis) {
      return requestMillis.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /** Ids watched and not yet answerable, over all lanes. */
  private int pendingCount() {
    int n = 0;
    for (Lane lane : lanes) {
      n += lane.added.size();
      synchronized (lane.pending) {
        n += lane.pending.size();
      }
    }
    return n;
  }

  /** A share of the watched ids, polled oldest first on a thread and connection of its own. */
  private final class Lane implements Runnable {

    final ConcurrentLinkedQueue<Pending> added = new ConcurrentLinkedQueue<>();
    final List<Pending> pending = new ArrayList<>();
    final Thread thread;

    Lane(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
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
              long asked = System.nanoTime();
              int status = http.get(path(p.id())).status();
              if (requestMillis != null) {
                synchronized (requestMillis) {
                  requestMillis.add((System.nanoTime() - asked) / 1e6);
                }
              }
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
  }

  private static String path(String id) {
    return "/v1/images/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    for (Lane lane : lanes) {
      lane.thread.join(5_000);
    }
  }
}
