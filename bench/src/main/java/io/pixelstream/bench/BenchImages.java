package io.pixelstream.bench;

import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.deploy.kafka.ImageProducer;
import java.util.concurrent.locks.LockSupport;

/** The Fashion-MNIST images the harnesses send to Kafka, and the two ways they send them. */
final class BenchImages {

  private BenchImages() {}

  /** The first {@code n} Fashion-MNIST images as PNG: the 60,000 training images, then test. */
  static byte[][] pngs(int n) throws java.io.IOException {
    LabelledImages train =
        IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, true, Math.min(n, 60_000));
    LabelledImages test =
        n > train.size()
            ? IdxReader.fashionMnist(IdxReader.FASHION_MNIST_DIR, false, n - train.size())
            : null;
    byte[][] out = new byte[train.size() + (test == null ? 0 : test.size())][];
    for (int i = 0; i < out.length; i++) {
      byte[] pixels = i < train.size() ? train.pixels()[i] : test.pixels()[i - train.size()];
      out[i] = ImageEncoding.png(pixels, 1, 28, 28);
    }
    return out;
  }

  static void produceFlatOut(
      ImageProducer producer, String prefix, byte[][] pngs, int n, int[] labels) {
    for (int i = 0; i < n; i++) {
      producer.send(prefix + i, pngs[i % pngs.length], labels[i % labels.length]);
    }
    producer.flush();
  }

  /**
   * Produces {@code n} images at {@code rate} per second, or until the thread is interrupted.
   *
   * @return the images produced
   */
  static int produceAtRate(
      ImageProducer producer, String prefix, byte[][] pngs, int n, int rate, int[] labels) {
    return produceAtRate(producer, prefix, pngs, n, rate, labels, (i, sentAt) -> {});
  }

  /** Called with each image's index and send time (epoch ms). */
  interface SendListener {
    void sent(int i, long sentAt);
  }

  /** As above, telling {@code listener} of each send. */
  static int produceAtRate(
      ImageProducer producer,
      String prefix,
      byte[][] pngs,
      int n,
      int rate,
      int[] labels,
      SendListener listener) {
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    int i = 0;
    for (; i < n; i++) {
      if (Thread.interrupted()) {
        break; // the flag is cleared, so the flush below still waits for the broker
      }
      long sentAt = System.currentTimeMillis();
      producer.send(prefix + i, pngs[i % pngs.length], labels[i % labels.length]);
      listener.sent(i, sentAt);
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    producer.flush();
    return i;
  }
}
