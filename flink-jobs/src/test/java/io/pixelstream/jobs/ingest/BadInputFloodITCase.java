package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.TestImages;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageEncoding;
import io.pixelstream.core.io.ProcessMemory;
import io.pixelstream.core.model.ModelArtifact;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBroker;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of bad records among good ones, on a broker that accepts 110 MB messages: 100 MB values,
 * 10 KB ids, truncated PNGs, decompression bombs and 10 KB label headers, five rounds of each. The
 * job runs in its own JVM with a 768 MB heap, whose resident memory is sampled throughout. Every
 * bad record reaches the dead-letter topic exactly once with its reason (the 100 MB values without
 * their bytes, said in {@code dlq.omitted}), every good one is indexed, the job never fails, and
 * the heap it retains after a full GC does not grow from round to round.
 */
class BadInputFloodITCase {

  private static final int ROUNDS = 5;
  private static final int GOOD_PER_ROUND = 200;
  private static final int EACH_BAD_PER_ROUND = 100;
  private static final int HUGE_BYTES = 100 << 20;

  @Test
  void badRecordsGoToTheDeadLetterTopicWithBoundedMemory(@TempDir Path work) throws Exception {
    try (KafkaBroker broker =
        KafkaBroker.builder()
            .dataDir(work.resolve("kafka"))
            .heap("1g")
            .property("message.max.bytes", Integer.toString(110 << 20))
            .property("socket.request.max.bytes", Integer.toString(120 << 20))
            .build()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, Map.of("images", 2, "images.dlq", 1), Duration.ofSeconds(30));
      ModelArtifact model = IngestFixtures.model(work.resolve("model"));
      LabelledImages images = IngestFixtures.testImages(ROUNDS * GOOD_PER_ROUND);
      Configuration conf =
          IngestFixtures.settings(bootstrap, work.resolve("model"), work, 2, false);
      Path index = work.resolve("index");
      Path log = work.resolve("job.log");
      int badPerRound = 1 + 4 * EACH_BAD_PER_ROUND;

      try (ChildJvm job =
              ChildJvm.start(log, "768m", IngestJobMain.class, IngestFixtures.commandLine(conf));
          ImageProducer producer = new ImageProducer(bootstrap, "images", 110 << 20)) {
        RssSampler rss = new RssSampler(job.pid());
        Thread sampler = new Thread(rss, "rss-sampler");
        sampler.start();
        long[] afterRound = new long[ROUNDS];
        Random random = new Random(31);
        for (int round = 0; round < ROUNDS; round++) {
          int from = round * GOOD_PER_ROUND;
          IngestFixtures.produce(producer, images, from, from + GOOD_PER_ROUND);
          sendBad(producer, images, round, random);
          producer.flush();
          CommittedIndex.await(
              index, model.version(), from + GOOD_PER_ROUND, Duration.ofSeconds(180));
          awaitRecords(bootstrap, "images.dlq", (round + 1L) * badPerRound);
          afterRound[round] = retainedHeap(job.pid());
        }
        rss.stop.set(true);
        sampler.join();

        List<ConsumerRecord<byte[], byte[]>> dlq =
            IngestFixtures.readAll(
                bootstrap, "images.dlq", ROUNDS * badPerRound, Duration.ofSeconds(60));
        Map<String, Integer> reasons = new TreeMap<>();
        int omitted = 0;
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
          String error = header(r, "error");
          reasons.merge(error.substring(0, error.indexOf(':')), 1, Integer::sum);
          String cut = header(r, "dlq.omitted");
          if (cut != null) {
            assertThat(cut).isEqualTo("value (" + HUGE_BYTES + " bytes)");
            assertThat(r.value()).isEmpty();
            assertThat(header(r, "source.offset")).isNotNull();
            omitted++;
          }
        }
        int indexed;
        try (CommittedIndex committed = new CommittedIndex(index, model.version())) {
          indexed = committed.numDocs();
        }
        String jobLog = Files.readString(log);
        System.out.printf(
            "bad-input flood: %d good and %d bad records (%d x 100 MB values); indexed %d,"
                + " dead-lettered %d %s, %d without their value; job RSS peak %d MB (heap limit 768"
                + " MB), heap retained after a full GC after each round %s MB%n",
            ROUNDS * GOOD_PER_ROUND,
            ROUNDS * badPerRound,
            ROUNDS,
            indexed,
            dlq.size(),
            reasons,
            omitted,
            rss.peak() >> 20,
            Arrays.toString(Arrays.stream(afterRound).map(b -> b >> 20).toArray()));

        assertThat(job.isAlive()).as("the job's JVM").isTrue();
        assertThat(jobLog).as("the job never failed").doesNotContain("to FAILED");
        assertThat(indexed).isEqualTo(ROUNDS * GOOD_PER_ROUND);
        assertThat(dlq).as("each bad record dead-lettered once").hasSize(ROUNDS * badPerRound);
        assertThat(reasons)
            .containsEntry("TOO_LARGE", ROUNDS)
            .containsEntry("BAD_ID", ROUNDS * EACH_BAD_PER_ROUND)
            .containsEntry("UNDECODABLE_IMAGE", ROUNDS * EACH_BAD_PER_ROUND)
            .containsEntry("WRONG_SIZE", ROUNDS * EACH_BAD_PER_ROUND)
            .containsEntry("BAD_LABEL", ROUNDS * EACH_BAD_PER_ROUND);
        assertThat(omitted).isEqualTo(ROUNDS);
        // five 100 MB values went through; keeping any of them would add 100 MB or more
        assertThat(afterRound[ROUNDS - 1] - afterRound[0])
            .as("retained heap growth from the first round to the last, bytes")
            .isLessThan(64L << 20);
      }
    }
  }

  private static void sendBad(
      ImageProducer producer, LabelledImages images, int round, Random random) {
    byte[] huge = new byte[HUGE_BYTES];
    random.nextBytes(huge);
    producer.sendRaw(utf8("huge-" + round), huge, new RecordHeaders());
    producer.flush(); // one 100 MB record in the producer's buffer at a time
    byte[] good = ImageEncoding.png(images.pixels()[0], 1, 28, 28);
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    byte[] bomb = TestImages.pngHeaderOnly(60_000, 60_000);
    String longId = "x".repeat(10 * 1024);
    for (int i = 0; i < EACH_BAD_PER_ROUND; i++) {
      String tag = round + "-" + i;
      producer.sendRaw(utf8(longId + tag), good, new RecordHeaders());
      producer.sendRaw(utf8("truncated-" + tag), truncated, new RecordHeaders());
      producer.sendRaw(utf8("bomb-" + tag), bomb, new RecordHeaders());
      RecordHeaders label = new RecordHeaders();
      label.add("label", utf8("9".repeat(10 * 1024)));
      producer.sendRaw(utf8("label-" + tag), good, label);
    }
  }

  private static void awaitRecords(String bootstrap, String topic, long count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    long n = 0;
    while (System.nanoTime() < deadline) {
      n = KafkaTopics.recordCount(bootstrap, topic);
      if (n >= count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("only " + n + " of " + count + " records in " + topic);
  }

  /** The job's heap in use right after a full GC ({@code jcmd GC.run}, then GC.heap_info). */
  private static long retainedHeap(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
    if (!used.find()) {
      throw new AssertionError("no heap figure from jcmd " + pid + " GC.heap_info");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Samples a process's resident memory every 100 ms. */
  private static final class RssSampler implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    private final long pid;
    private final AtomicLong peak = new AtomicLong();

    RssSampler(long pid) {
      this.pid = pid;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        peak.accumulateAndGet(current(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long peak() {
      return peak.get();
    }

    /** Resident bytes now, or 0 once the process is gone. */
    long current() {
      return ProcessMemory.residentBytes(pid);
    }
  }
}
