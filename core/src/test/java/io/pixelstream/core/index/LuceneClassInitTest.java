package io.pixelstream.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Guards {@link LuceneClasses}: in a fresh JVM that opens a shard writer and a live index from two
 * threads at once ({@link LuceneClassRace}), both finish, and the JVM's class-initialisation log
 * shows Lucene's {@code TestSecrets} initialised before any of the classes it initialises, which is
 * the one order in which no two threads can wait on each other (without the work-around, {@code
 * IndexWriter} comes first).
 */
class LuceneClassInitTest {

  private static final String TEST_SECRETS = "'org/apache/lucene/internal/tests/TestSecrets'";
  private static final List<String> CYCLE =
      List.of(
          "'org/apache/lucene/index/IndexWriter'",
          "'org/apache/lucene/index/ConcurrentMergeScheduler'",
          "'org/apache/lucene/index/SegmentReader'");

  @Test
  void writerAndReaderOpenedAtOnceInitialiseLuceneInTheSafeOrder() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+init=info:stdout",
                "-cp",
                System.getProperty("java.class.path"),
                LuceneClassRace.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean finished = p.waitFor(30, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    assertThat(finished).as("finished within 30 s").isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).contains("both finished");
    int secrets = initialised(out, TEST_SECRETS);
    assertThat(secrets).as("TestSecrets initialised").isNotNegative();
    for (String cls : CYCLE) {
      int at = initialised(out, cls);
      assertThat(at).as("%s initialised", cls).isNotNegative();
      assertThat(secrets).as("TestSecrets initialised before %s", cls).isLessThan(at);
    }
  }

  /** Where the log says {@code cls} began its initialisation, or -1. */
  private static int initialised(String log, String cls) {
    return log.indexOf("Initializing " + cls);
  }
}
