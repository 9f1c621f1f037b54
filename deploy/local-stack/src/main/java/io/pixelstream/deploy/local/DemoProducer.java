package io.pixelstream.deploy.local;

import io.pixelstream.core.cli.CliArgs;
import io.pixelstream.core.data.DatasetSpec;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.deploy.kafka.ImageProducer;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams a dataset (training then held-out split; Fashion-MNIST by default) to the input topic as
 * PNG with labels, at a steady rate, as a stand-in for a real image source. Ids are {@code
 * <source>:<split>/<index>}, e.g. {@code fmnist:train/00042}.
 */
public final class DemoProducer implements Runnable {

  private static final String USAGE =
      """
      Usage: demo-producer [options]   (deploy/local/java.sh deploy/local-stack \
                                         io.pixelstream.deploy.local.DemoProducer ...)
        --kafka.bootstrap-servers H  brokers (default 127.0.0.1:9092)
        --kafka.topic T              input topic (default images)
        --kafka.properties FILE      Kafka client settings: security.protocol, sasl.*, ssl.*
        --dataset SPEC               fashion-mnist[:DIR] (default), cifar10:DIR, folder:DIR
        --rate N                     images per second (default 500)
        --images N                   images in all (default 70000)
      """;

  private final String bootstrapServers;
  private final KafkaClientSettings kafka;
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
    this(bootstrapServers, KafkaClientSettings.none(), topic, dataset, ratePerSecond, limit);
  }

  /** A producer with Kafka client settings ({@code --kafka.properties}). */
  public DemoProducer(
      String bootstrapServers,
      KafkaClientSettings kafka,
      String topic,
      DatasetSpec dataset,
      int ratePerSecond,
      int limit) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("rate must be >= 1 image/s, got " + ratePerSecond);
    }
    this.bootstrapServers = bootstrapServers;
    this.kafka = kafka;
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
    try (ImageProducer producer =
        new ImageProducer(
            bootstrapServers,
            topic,
            ImageProducer.DEFAULT_MAX_REQUEST_BYTES,
            kafka.asProperties())) {
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

  /** Streams a dataset to any Kafka, secured ones included, until done or Ctrl-C. */
  public static void main(String[] args) throws InterruptedException {
    CliArgs cli;
    KafkaClientSettings kafka;
    DatasetSpec dataset;
    try {
      cli =
          CliArgs.parse(
              args,
              Set.of(
                  "kafka.bootstrap-servers",
                  "kafka.topic",
                  "kafka.properties",
                  "dataset",
                  "rate",
                  "images"));
      kafka = KafkaClientSettings.loadOrNone(cli.get("kafka.properties", null));
      dataset = DatasetSpec.parse(cli.get("dataset", "fashion-mnist"));
    } catch (IllegalArgumentException e) {
      System.err.println("demo-producer: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (cli.helpRequested()) {
      System.out.print(USAGE);
      return;
    }
    System.out.println(kafka.describe());
    DemoProducer producer =
        new DemoProducer(
            cli.get("kafka.bootstrap-servers", "127.0.0.1:9092"),
            kafka,
            cli.get("kafka.topic", "images"),
            dataset,
            cli.getInt("rate", 500),
            cli.getInt("images", 70_000));
    Runtime.getRuntime().addShutdownHook(new Thread(producer::stop));
    producer.run();
    if (producer.failure() != null) {
      System.err.println(
          "demo-producer: failed after " + producer.produced() + " images: " + producer.failure());
      System.exit(1);
    }
    System.out.println("demo-producer: " + producer.produced() + " images sent");
  }
}
