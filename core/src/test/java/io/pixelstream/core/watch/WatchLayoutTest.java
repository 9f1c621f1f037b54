package io.pixelstream.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;

class WatchLayoutTest {

  @Test
  void watchesAddedAndRemovedOneAtATimeBetweenImagesMatchAsBruteForceWould() {
    VectorSimilarityFunction f = VectorSimilarityFunction.EUCLIDEAN;
    Random r = new Random(17);
    WatchLayout layout = new WatchLayout(f);
    Map<String, float[]> live = new LinkedHashMap<>();
    Map<String, Double> thresholds = new HashMap<>();
    for (int step = 0; step < 600; step++) {
      float[] v = new float[16];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) r.nextGaussian();
      }
      String id = "w" + step;
      double threshold = 0.02 + r.nextDouble() * 0.1;
      layout.add(new Watch(id, "n", new byte[] {1}, null, threshold, null, 1L), v);
      live.put(id, v);
      thresholds.put(id, threshold);
      if (step % 5 == 4) { // remove an older one
        String old = new ArrayList<>(live.keySet()).get(r.nextInt(live.size()));
        layout.remove(old);
        live.remove(old);
      }
      float[] query = new float[16];
      for (int d = 0; d < query.length; d++) {
        query[d] = (float) r.nextGaussian();
      }
      List<String> expected = new ArrayList<>();
      live.forEach(
          (w, wv) -> {
            if (f.compare(query, wv) >= thresholds.get(w)) {
              expected.add(w);
            }
          });
      assertThat(layout.match(query, new HashMap<>()))
          .as("step %d", step)
          .extracting(m -> m.watch().id())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }
}
