package io.pixelstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak ({@link Soak}) in CI: 30 s at 300 images/s with 4 query clients at 200 queries/s in all;
 * {@code -Dsoak.minutes=10} runs the full one. Passes when no query failed, the job still runs,
 * every image was indexed, nothing was dead-lettered, and the heap retained after a full GC did not
 * grow by more than 64 MB from the first interval to the last.
 */
class SoakITCase {

  @Test
  void steadyLoadWithoutErrorsOrGrowth(@TempDir Path out) throws Exception {
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "0.5"));
    Soak.Result result =
        Soak.run(
            new Soak.Settings(
                minutes, 300, 4, 200, minutes >= 5 ? 60 : 10, out.resolve("soak.json")));

    assertThat(result.failures()).isEmpty();
    List<Soak.Interval> intervals = result.intervals();
    assertThat(intervals).hasSizeGreaterThanOrEqualTo(3);
    assertThat(result.queries()).as("queries answered").isGreaterThan(0);
    long firstHeap = intervals.get(0).heapAfterGcMiB();
    long lastHeap = intervals.get(intervals.size() - 1).heapAfterGcMiB();
    assertThat(lastHeap - firstHeap).as("heap growth after GC, MiB").isLessThan(64);
    for (Soak.Interval i : intervals.subList(0, intervals.size() - 1)) {
      assertThat(i.freshnessSamples()).as("freshness samples at %d s", i.endSecond()).isPositive();
    }
  }
}
