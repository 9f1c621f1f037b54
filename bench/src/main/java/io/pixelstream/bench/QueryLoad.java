package io.pixelstream.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Requests of one kind against the server: by image (POST a PNG of a random indexed test image) or
 * by id (GET the neighbours of a random indexed image, image i having id {@code idOf(i)}).
 */
record QueryLoad(int port, String kind, String mode, byte[][] pngs, IntFunction<String> idOf) {

  /**
   * {@code n} requests from {@code clients} threads, each on its own keep-alive connection; fills
   * {@code ms}; returns wall seconds.
   */
  double run(int clients, int n, double[] ms, long seed) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Random random = new Random(seed * 1000 + c);
      futures.add(
          pool.submit(
              () -> {
                try (KeepAliveClient http = new KeepAliveClient("127.0.0.1", port)) {
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    int image = random.nextInt(pngs.length);
                    long t = System.nanoTime();
                    KeepAliveClient.Response r =
                        kind.equals("image")
                            ? http.post("/v1/search?k=10&mode=" + mode, "image/png", pngs[image])
                            : http.get(
                                "/v1/images/"
                                    + URLEncoder.encode(idOf.apply(image), StandardCharsets.UTF_8)
                                    + "/similar?k=10&mode="
                                    + mode);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    if (r.status() != 200) {
                      throw new IllegalStateException(
                          "HTTP " + r.status() + ": " + new String(r.body()));
                    }
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
