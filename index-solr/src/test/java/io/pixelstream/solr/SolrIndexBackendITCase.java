package io.pixelstream.solr;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.backend.ShardSink;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import io.pixelstream.deploy.solr.SolrCloudExtension;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Solr backend on a real two-node SolrCloud: writes, every search mode, the alias. */
class SolrIndexBackendITCase {

  @RegisterExtension static final SolrCloudExtension SOLR = new SolrCloudExtension();

  private static final int DIM = 16;

  private SolrIndexSettings settings(String alias) {
    return new SolrIndexSettings(
        SOLR.cloud().zkHost(),
        alias,
        2,
        2,
        SolrIndexSettings.Replicas.NRT,
        HnswOptions.DEFAULT,
        100);
  }

  private static IndexedImage image(int i, Random random) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return new IndexedImage(
        "img-" + i,
        v,
        i % 4,
        i % 3 == 0 ? null : i % 10,
        "test",
        "v1",
        1000L + i,
        500L + i,
        new byte[] {(byte) i, 1, 2});
  }

  @Test
  void writesSearchesAndSwitches() throws Exception {
    Random random = new Random(42);
    List<IndexedImage> images = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      images.add(image(i, random));
    }
    try (IndexBackend backend = new SolrIndexBackend(settings("writes"))) {
      assertThat(backend.served()).isEmpty();
      try (ShardSink sink = backend.openShard("v1", 0, 1, "EUCLIDEAN", DIM)) {
        for (IndexedImage image : images) {
          sink.upsert(image);
        }
        sink.delete("img-7");
        sink.upsert(images.get(9)); // an upsert after a delete of the same id wins
        sink.delete("img-9");
        sink.commit(Map.of("k", "v"));
        assertThat(sink.commitData()).containsEntry("k", "v");
      }
      assertThat(backend.switchTo("v1")).isZero();
      assertThat(backend.served()).contains(new IndexBackend.Served("v1", 0));
      try (PinnedVersion v1 = backend.open("v1")) {
        awaitDocuments(v1, 298);
        // what the trainer retrains on: every stored image and label, paged by id
        List<IndexBackend.StoredImage> stored = backend.storedImages("v1", 1000);
        assertThat(stored).hasSize(298);
        assertThat(stored)
            .extracting(IndexBackend.StoredImage::id)
            .doesNotContain("img-7", "img-9");
        for (IndexBackend.StoredImage s : stored) {
          IndexedImage written = images.get(Integer.parseInt(s.id().substring("img-".length())));
          assertThat(s.image()).isEqualTo(written.image());
          assertThat(s.label()).isEqualTo(written.label());
        }
        assertThat(backend.storedImages("v1", 5)).hasSize(5);
        assertThat(backend.storedImages("no-such-version", 5)).isEmpty();
        IndexedImage probe = images.get(20);
        SearchResult exact =
            v1.search(
                probe.vector(), new SearchRequest(10, SearchMode.EXACT, null, null, 10), null);
        assertThat(exact.hits()).hasSize(10);
        assertThat(exact.hits().get(0).id()).isEqualTo("img-20");
        assertThat(exact.hits().get(0).score()).isEqualTo(1f);
        assertThat(exact.hits()).extracting(SearchResult.Hit::id).doesNotContain("img-7", "img-9");
        SearchResult hnsw =
            v1.search(probe.vector(), new SearchRequest(10, SearchMode.HNSW, null, null, 50), null);
        assertThat(hnsw.hits().get(0).id()).isEqualTo("img-20");
        SearchResult filtered =
            v1.search(probe.vector(), new SearchRequest(8, SearchMode.HNSW, 1, 5, 8), null);
        assertThat(filtered.hits()).hasSize(8); // 10 of the 300 match both

        assertThat(filtered.hits())
            .allSatisfy(
                h -> {
                  assertThat(h.cluster()).isEqualTo(1);
                  assertThat(h.label()).isEqualTo(5);
                });
        Centroids centroids = new Centroids(new float[][] {probe.vector(), new float[DIM]});
        SearchResult cluster =
            v1.search(
                probe.vector(), new SearchRequest(5, SearchMode.CLUSTER, null, null, 5), centroids);
        assertThat(cluster.queryCluster()).isZero();
        assertThat(cluster.hits()).allSatisfy(h -> assertThat(h.cluster()).isZero());
        assertThat(
                v1.searchById(
                    "img-20", new SearchRequest(3, SearchMode.EXACT, null, null, 3), null))
            .hasValueSatisfying(r -> assertThat(r.hits().get(0).id()).isEqualTo("img-20"));
        assertThat(
                v1.searchById("img-7", new SearchRequest(3, SearchMode.EXACT, null, null, 3), null))
            .isEmpty();
        assertThat(v1.image("img-21")).hasValue(new byte[] {21, 1, 2});
        List<PinnedVersion.ClusterSample> clusters = v1.clusters(5, 3);
        assertThat(clusters).hasSize(5);
        assertThat(clusters.stream().mapToLong(PinnedVersion.ClusterSample::size).sum())
            .isEqualTo(298);
        assertThat(clusters.get(4).size()).isZero();
        assertThat(clusters.get(1).sampleIds()).hasSize(3);
        PinnedVersion.Snapshot snap = v1.snapshot();
        assertThat(snap.documents()).isEqualTo(298);
        assertThat(snap.shards()).isEqualTo(2);
        assertThat(snap.lastCommitTime()).isEqualTo(1299L);
      }
      try (ShardSink sink = backend.openShard("v2", 0, 1, "EUCLIDEAN", DIM)) {
        sink.upsert(images.get(0));
        sink.commit(Map.of());
      }
      assertThat(backend.switchTo("v2")).isEqualTo(1);
      assertThat(backend.served()).contains(new IndexBackend.Served("v2", 1));
      assertThat(backend.retain(1)).as("one previous version kept").isEmpty();
      try (ShardSink sink = backend.openShard("v3", 0, 1, "EUCLIDEAN", DIM)) {
        sink.upsert(images.get(1));
        sink.commit(Map.of());
      }
      assertThat(backend.switchTo("v3")).isEqualTo(2);
      assertThat(backend.retain(1)).containsExactly("v1");
      assertThat(backend.shardCount("v1")).isZero();
      assertThat(backend.shardCount("v2")).isEqualTo(2);
      assertThat(backend.served()).contains(new IndexBackend.Served("v3", 2));
    }
  }

  private static void awaitDocuments(PinnedVersion version, long expected) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (version.snapshot().documents() != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(version.snapshot().documents()).isEqualTo(expected);
  }
}
