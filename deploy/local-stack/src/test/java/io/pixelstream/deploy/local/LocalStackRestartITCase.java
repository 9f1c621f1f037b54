package io.pixelstream.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.search.LiveIndex;
import io.pixelstream.jobs.ingest.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's JVM killed hard (SIGKILL, as the OOM killer would) in the middle of the stream:
 * the Kafka broker it started must not outlive it, and the same command run again must come up by
 * itself and end with every produced id indexed exactly once.
 */
class LocalStackRestartITCase {

  private static final int IMAGES = 1200;
  private static final String MODEL = "random-42";
  private static final Pattern UP = Pattern.compile("local stack is up");

  @Test
  void aHardKilledStackLeavesNoBrokerAndComesBackWithEveryIdOnce(@TempDir Path data)
      throws Exception {
    List<String> args =
        List.of(
            "--data-dir", data.toString(),
            "--kafka-port", Integer.toString(freePort()),
            "--prometheus-port", Integer.toString(freePort()),
            "--rate", "150",
            "--images", Integer.toString(IMAGES));
    Path index = data.resolve("index");
    try (ChildJvm first = ChildJvm.start(data.resolve("first.log"), "2g", LocalStack.class, args)) {
      first.awaitLog(UP, Duration.ofSeconds(180));
      awaitCommitted(index, 150, Duration.ofSeconds(120));
      long broker = Long.parseLong(Files.readString(data.resolve("kafka/broker.pid")).trim());
      first.kill();
      Optional<ProcessHandle> left = ProcessHandle.of(broker);
      if (left.isPresent()) {
        left.get().onExit().completeOnTimeout(null, 15, TimeUnit.SECONDS).get();
      }
      assertThat(ProcessHandle.of(broker).map(ProcessHandle::isAlive))
          .as("the broker (pid %d) outlived the stack", broker)
          .isNotEqualTo(Optional.of(true));
    }
    try (ChildJvm second =
        ChildJvm.start(data.resolve("second.log"), "2g", LocalStack.class, args)) {
      second.awaitLog(UP, Duration.ofSeconds(180));
      Map<String, Integer> copies = awaitCommitted(index, IMAGES, Duration.ofSeconds(240));
      assertThat(copies).hasSize(IMAGES);
      assertThat(copies.values()).containsOnly(1);
    }
  }

  /** Waits for {@code atLeast} committed documents; returns the copies per id. */
  private static Map<String, Integer> awaitCommitted(Path index, int atLeast, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Integer> copies = Map.of();
    while (System.nanoTime() < deadline) {
      copies = copiesById(index);
      if (copies.values().stream().mapToInt(Integer::intValue).sum() >= atLeast) {
        return copies;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("only " + copies.size() + " ids committed of " + atLeast);
  }

  private static Map<String, Integer> copiesById(Path index) throws IOException {
    Map<String, Integer> copies = new HashMap<>();
    if (!Files.isDirectory(index.resolve(MODEL))) {
      return copies;
    }
    try (LiveIndex live = LiveIndex.open(index, MODEL)) {
      IndexSearcher s = live.acquire();
      try {
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
          Bits alive = leaf.reader().getLiveDocs();
          var stored = leaf.reader().storedFields();
          for (int d = 0; d < leaf.reader().maxDoc(); d++) {
            if (alive == null || alive.get(d)) {
              copies.merge(stored.document(d).get(IndexFields.ID), 1, Integer::sum);
            }
          }
        }
      } finally {
        live.release(s);
      }
    }
    return copies;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
