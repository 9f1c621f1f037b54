package io.pixelstream.jobs.local;

import io.pixelstream.core.data.IdxReader;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.jobs.kafka.ImageProducer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams Fashion-MNIST (training then test split) to the input topic as PNG with labels, at a
 * steady rate, as a stand-in for a real image source. Ids are {@code fmnist:<split>/<index>}.
 */
public final class DemoProducer implements Runnable {

  private final String bootstrapServers;
  private final String topic;
  private final Path dataDir;
  private final int ratePerSecond;
  private final int limit;
  private final AtomicLong produced = new AtomicLong();
  private volatile boolean stopped;
  private volatile Throwable failure;

  /**
   * @param ratePerSecond images per second, >= 1
   * @param limit images to produce in all (at most 70,000)
   */
  public DemoProducer(
      String bootstrapServers, String topic, Path dataDir, int ratePerSecond, int limit) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("rate must be >= 1 image/s, got " + ratePerSecond);
    }
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.dataDir = dataDir;
    this.ratePerSecond = ratePerSecond;
    this.limit = limit;
  }

  public long produced() {
    return produced.get();
  }

  public Throwable failure() {
    return failure;
  }

  public void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    try (ImageProducer producer = new ImageProducer(bootstrapServers, topic)) {
      long intervalNanos = 1_000_000_000L / ratePerSecond;
      long next = System.nanoTime();
      int remaining = limit;
      for (String split : new String[] {"train", "t10k"}) {
        LabelledImages images = IdxReader.fashionMnist(dataDir, split.equals("train"), remaining);
        for (int i = 0; i < images.size() && !stopped; i++) {
          byte[] png = ImageEncoding.png(images.pixels()[i], 1, 28, 28);
          producer.send(String.format("fmnist:%s/%05d", split, i), png, images.labels()[i]);
          produced.incrementAndGet();
          next += intervalNanos;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          if (produced.get() % 1000 == 0) {
            producer.flush();
          }
        }
        remaining -= images.size();
        if (remaining <= 0 || stopped) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
  }
}
