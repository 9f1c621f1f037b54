package io.pixelstream.deploy.local;

import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.deploy.kafka.ImageProducer;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams a dataset (training then held-out split; Fashion-MNIST by default) to the input topic as
 * PNG with labels, at a steady rate, as a stand-in for a real image source. Ids are {@code
 * <source>:<split>/<index>}, e.g. {@code fmnist:train/00042}.
 */
public final class DemoProducer implements Runnable {

  private final String bootstrapServers;
  private final String topic;
  private final DatasetSpec dataset;
  private final int ratePerSecond;
  private final int limit;
  private final AtomicLong produced = new AtomicLong();
  private volatile boolean stopped;
  private volatile Throwable failure;

  /**
   * @param dataset what to stream ({@link DatasetSpec#parse}: fashion-mnist, cifar10:DIR,
   *     folder:DIR)
   * @param ratePerSecond images per second, >= 1
   * @param limit images to produce in all (at most what the dataset holds)
   */
  public DemoProducer(
      String bootstrapServers, String topic, DatasetSpec dataset, int ratePerSecond, int limit) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("rate must be >= 1 image/s, got " + ratePerSecond);
    }
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.dataset = dataset;
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
      InputShape shape =
          dataset.nativeShape() != null ? dataset.nativeShape() : new InputShape(3, 64, 64);
      DatasetSpec.Split data = dataset.load(shape, limit, limit);
      String source = dataset.kind().equals("fashion-mnist") ? "fmnist" : dataset.kind();
      int remaining = limit;
      for (String split : new String[] {"train", "t10k"}) {
        LabelledImages images = split.equals("train") ? data.train() : data.test();
        InputShape s = images.shape();
        for (int i = 0; i < images.size() && i < remaining && !stopped; i++) {
          byte[] png = ImageEncoding.png(images.pixels()[i], s.channels(), s.height(), s.width());
          producer.send(String.format("%s:%s/%05d", source, split, i), png, images.labels()[i]);
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
        remaining -= Math.min(remaining, images.size());
        if (remaining <= 0 || stopped) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
  }
}
