package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.core.runtime.ModelRuntime;
import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.Watch;
import io.pixelstream.core.watch.WatchTopicFormat;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 watches against 2,000 streamed images with planted near-copies of the watch images (shifted,
 * brightened, recompressed as JPEG). The match events must equal a brute-force ground truth
 * computed here with the same model, each (watch, image) once, although the job is killed
 * mid-stream and restored from its last checkpoint; after ten watches are deleted, later copies of
 * their images match nothing.
 */
class WatchMatchITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension static final MiniClusterExtension FLINK = IngestFixtures.miniCluster();

  private static final int WATCHES = 100;
  private static final int ORDINARY = 1800;
  private static final int DELETED = 10;
  private static final long SEED = 7;

  @Test
  void matchEventsEqualBruteForceOnceEachAcrossAKillAndStopForDeletedWatches(@TempDir Path work)
      throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    KafkaTopics.ensure(
        bootstrap,
        Map.of("images", 2, "images.dlq", 1, "images.watches", 1, "images.matches", 2),
        Duration.ofSeconds(30));
    ModelArtifact model = IngestFixtures.model(work.resolve("model"));
    Configuration conf = IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
    conf.set(IngestOptions.WATCH_ENABLED, true);
    LabelledImages base = IngestFixtures.testImages(ORDINARY + WATCHES + 1);

    // the watch images, the stream (ordinary images and two copies of each watch image, shuffled),
    // the images after the deletes (two more copies of each), and a marker watch's image
    Map<String, byte[]> watchImages = new LinkedHashMap<>();
    for (int w = 0; w < WATCHES; w++) {
      watchImages.put(watchId(w), IngestFixtures.png(base, ORDINARY + w));
    }
    Random random = new Random(SEED);
    List<String> streamIds = new ArrayList<>();
    Map<String, byte[]> stream = new HashMap<>();
    for (int i = 0; i < ORDINARY; i++) {
      stream.put("s/" + i, IngestFixtures.png(base, i));
      streamIds.add("s/" + i);
    }
    Map<String, byte[]> late = new LinkedHashMap<>();
    for (int w = 0; w < WATCHES; w++) {
      byte[] pixels = base.pixels()[ORDINARY + w];
      stream.put("s/shifted-" + w, ImageEncoding.png(shifted(pixels, random), 1, 28, 28));
      stream.put("s/bright-" + w, ImageEncoding.jpeg(brighter(pixels, 10), 1, 28, 28));
      streamIds.add("s/shifted-" + w);
      streamIds.add("s/bright-" + w);
      late.put("late/shifted-" + w, ImageEncoding.png(shifted(pixels, random), 1, 28, 28));
      late.put("late/bright-" + w, ImageEncoding.jpeg(brighter(pixels, 14), 1, 28, 28));
    }
    Collections.shuffle(streamIds, random);
    byte[] markerImage = IngestFixtures.png(base, ORDINARY + WATCHES);

    // ground truth: the same model embeds everything; each watch's threshold sits in the widest gap
    // between consecutive scores from its lowest planted copy down to its 12th best image (so that
    // batching differences of 1e-6 cannot move an image across it)
    Map<String, byte[]> everyImage = new HashMap<>(stream);
    everyImage.putAll(late);
    Map<String, float[]> vectors;
    Map<String, float[]> watchVectors;
    VectorSimilarityFunction similarity =
        VectorSimilarityFunction.valueOf(model.manifest().similarity());
    try (ModelRuntime runtime = IngestSettings.from(conf).runtime(model)) {
      vectors = embed(runtime, everyImage);
      watchVectors = embed(runtime, watchImages);
    }
    Map<String, Double> thresholds = new HashMap<>();
    Map<String, Map<String, Float>> scores = new HashMap<>();
    for (String w : watchImages.keySet()) {
      Map<String, Float> byImage = new HashMap<>();
      vectors.forEach((id, v) -> byImage.put(id, similarity.compare(v, watchVectors.get(w))));
      scores.put(w, byImage);
      int n = Integer.parseInt(w.substring(2));
      float lowestCopy =
          Math.min(
              Math.min(byImage.get("s/shifted-" + n), byImage.get("s/bright-" + n)),
              Math.min(byImage.get("late/shifted-" + n), byImage.get("late/bright-" + n)));
      thresholds.put(w, widestGap(byImage.values(), lowestCopy, 12));
    }
    Set<String> expected = new HashSet<>();
    int plantedFound = 0;
    for (String w : watchImages.keySet()) {
      int n = Integer.parseInt(w.substring(2));
      Set<String> planted =
          Set.of("s/shifted-" + n, "s/bright-" + n, "late/shifted-" + n, "late/bright-" + n);
      for (Map.Entry<String, Float> e : scores.get(w).entrySet()) {
        boolean lateImage = e.getKey().startsWith("late/");
        if (e.getValue() >= thresholds.get(w) && !(lateImage && n < DELETED)) {
          expected.add(w + " " + e.getKey());
          if (planted.contains(e.getKey())) {
            plantedFound++;
          }
        }
      }
    }
    assertThat(plantedFound)
        .as("planted copies among the ground truth (the test means something)")
        .isGreaterThan(WATCHES * 3);

    try (ImageProducer watchProducer = new ImageProducer(bootstrap, "images.watches");
        ImageProducer images = new ImageProducer(bootstrap, "images");
        MatchCollector matches = new MatchCollector(bootstrap, "images.matches")) {
      for (String w : watchImages.keySet()) {
        putWatch(watchProducer, w, watchImages.get(w), thresholds.get(w));
      }
      watchProducer.flush();

      JobClient first = IngestFixtures.start(conf, null);
      String lastWatch = watchId(WATCHES - 1);
      awaitProbe(images, matches, "probe", watchImages.get(lastWatch), lastWatch);

      Thread trickle =
          new Thread(
              () -> {
                for (int from = 0; from < streamIds.size(); from += 100) {
                  for (String id : streamIds.subList(from, from + 100)) {
                    images.send(id, stream.get(id), null);
                  }
                  images.flush();
                  sleep(200);
                }
              });
      trickle.start();
      long firstPhase = expected.stream().filter(k -> k.contains(" s/")).count();
      matches.awaitCount((int) (firstPhase / 3), Duration.ofSeconds(120));
      IngestRecoveryITCase.awaitCheckpoint(work.resolve("checkpoints"), Duration.ofSeconds(30));
      IngestFixtures.cancel(first);
      int atKill = relevant(matches.events()).size();
      trickle.join();
      Path restoreFrom =
          IngestRecoveryITCase.latestCheckpoint(work.resolve("checkpoints")).orElseThrow();
      JobClient second = IngestFixtures.start(conf, restoreFrom);
      awaitRelevant(matches, k -> k.contains(" s/"), firstPhase);

      for (int w = 0; w < DELETED; w++) {
        watchProducer.tombstone(watchId(w));
      }
      putWatch(watchProducer, "marker", markerImage, 0.999);
      watchProducer.flush();
      awaitProbe(images, matches, "marker-image", markerImage, "marker");
      for (Map.Entry<String, byte[]> e : late.entrySet()) {
        images.send(e.getKey(), e.getValue(), null);
      }
      images.flush();
      awaitRelevant(matches, k -> true, expected.size());
      Thread.sleep(1500); // a few more checkpoints: a duplicate would show now
      IngestFixtures.cancel(second);

      List<MatchEvent> relevant = relevant(matches.events());
      Map<String, Integer> counts = new HashMap<>();
      for (MatchEvent e : relevant) {
        String key = e.watchId() + " " + e.imageId();
        counts.merge(key, 1, Integer::sum);
        assertThat(e.score())
            .as("score of %s", key)
            .isCloseTo(scores.get(e.watchId()).get(e.imageId()), within(1e-4));
        assertThat(e.modelVersion()).isEqualTo(model.version());
      }
      assertThat(counts.entrySet().stream().filter(c -> c.getValue() > 1).toList())
          .as("duplicated match events")
          .isEmpty();
      assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected);
      System.out.printf(
          "watches: %d watches, %d images, %d matches expected (%d planted copies), %d at the kill"
              + " (restored from %s), 0 duplicated%n",
          WATCHES,
          everyImage.size(),
          expected.size(),
          plantedFound,
          atKill,
          restoreFrom.getFileName());
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private static String watchId(int w) {
    return String.format("w-%03d", w);
  }

  private static void putWatch(ImageProducer producer, String id, byte[] image, double threshold) {
    Watch watch = new Watch(id, "watch " + id, image, null, threshold, null, 1L);
    producer.sendRaw(
        id.getBytes(StandardCharsets.UTF_8), WatchTopicFormat.write(watch), new RecordHeaders());
  }

  /**
   * Sends copies of {@code image} (ids {@code prefix/N}) until {@code watch} matches one: the job
   * has then read that watch and every earlier record of the watches topic.
   */
  private static void awaitProbe(
      ImageProducer images, MatchCollector matches, String prefix, byte[] image, String watch)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (int n = 0; System.nanoTime() < deadline; n++) {
      images.send(prefix + "/" + n, image, null);
      images.flush();
      try {
        matches.await(
            e -> e.watchId().equals(watch) && e.imageId().startsWith(prefix + "/"),
            Duration.ofSeconds(2));
        return;
      } catch (AssertionError notYet) {
        // the job has not read the watch yet, or is still starting
      }
    }
    throw new AssertionError("watch " + watch + " never matched its own image");
  }

  /** The events the ground truth covers: the numbered watches on the stream's own images. */
  private static List<MatchEvent> relevant(List<MatchEvent> events) {
    return events.stream()
        .filter(e -> e.watchId().startsWith("w-"))
        .filter(e -> e.imageId().startsWith("s/") || e.imageId().startsWith("late/"))
        .toList();
  }

  private static void awaitRelevant(
      MatchCollector matches, java.util.function.Predicate<String> keys, long n)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (true) {
      long have =
          relevant(matches.events()).stream()
              .map(e -> e.watchId() + " " + e.imageId())
              .filter(keys)
              .count();
      if (have >= n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + have + " of " + n + " match events arrived");
      }
      Thread.sleep(100);
    }
  }

  private static Map<String, float[]> embed(ModelRuntime runtime, Map<String, byte[]> images)
      throws Exception {
    List<String> ids = new ArrayList<>(images.keySet());
    float[][] inputs = new float[ids.size()][];
    for (int i = 0; i < ids.size(); i++) {
      inputs[i] = runtime.preprocess(runtime.decode(images.get(ids.get(i))));
    }
    float[][] embedded = runtime.embedAll(inputs, 64);
    Map<String, float[]> out = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      out.put(ids.get(i), embedded[i]);
    }
    return out;
  }

  /**
   * The middle of the widest gap between consecutive scores at or below {@code atMost}, among the
   * {@code top} best (among all of them when {@code atMost} is not among the {@code top}).
   */
  static double widestGap(java.util.Collection<Float> scores, float atMost, int top) {
    float[] sorted = new float[scores.size()];
    int i = 0;
    for (float s : scores) {
      sorted[i++] = s;
    }
    Arrays.sort(sorted);
    double best = -1;
    double threshold = 0;
    int last = sorted.length - 1 - top;
    boolean reachable = sorted[last + 1] <= atMost;
    for (int k = sorted.length - 1; k > last; k--) {
      if (reachable && sorted[k] > atMost) {
        continue;
      }
      double gap = sorted[k] - sorted[k - 1];
      if (gap > best) {
        best = gap;
        threshold = (sorted[k] + (double) sorted[k - 1]) / 2;
      }
    }
    return threshold;
  }

  /**
   * {@code pixels} (28x28) moved by a third of a pixel in a random direction: a blend of the image
   * and the image moved by one pixel, the edge repeated.
   */
  private static byte[] shifted(byte[] pixels, Random random) {
    int dx = random.nextBoolean() ? 1 : -1;
    byte[] out = new byte[pixels.length];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int from = Math.max(0, Math.min(27, x - dx));
        int blended = (2 * (pixels[y * 28 + x] & 0xff) + (pixels[y * 28 + from] & 0xff)) / 3;
        out[y * 28 + x] = (byte) blended;
      }
    }
    return out;
  }

  private static byte[] brighter(byte[] pixels, int by) {
    byte[] out = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = (byte) Math.min(255, (pixels[i] & 0xff) + by);
    }
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
