package io.pixelstream.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.backend.IndexBackendKind;
import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.search.LuceneIndexBackend;
import io.pixelstream.solr.SolrIndexSettings;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

  private static Configuration base() {
    Configuration c = new Configuration();
    c.set(IngestOptions.MODEL_DIR, "models/m");
    return c;
  }

  @Test
  void theEmbeddedShardsAreTheDefault() throws Exception {
    IngestSettings s = IngestSettings.from(base());
    assertThat(s.backendKind()).isEqualTo(IndexBackendKind.EMBEDDED);
    assertThat(s.solr()).isNull();
    try (var backend = s.indexBackend()) {
      assertThat(backend).isInstanceOf(LuceneIndexBackend.class);
    }
  }

  @Test
  void watchesAreOffByDefaultAndDuplicateTaggingNeedsThem() {
    IngestSettings s = IngestSettings.from(base());
    assertThat(s.watchEnabled()).isFalse();
    assertThat(s.duplicateThreshold()).isNull();
    Configuration c = base();
    c.setString("ingest.duplicate-threshold", "0.95");
    assertThatThrownBy(() -> IngestSettings.from(c)).hasMessageContaining("needs watch.enabled");
    c.setString("watch.enabled", "true");
    assertThat(IngestSettings.from(c).duplicateThreshold()).isEqualTo(0.95);
    c.setString("watch.match-topic", "images");
    assertThatThrownBy(() -> IngestSettings.from(c)).hasMessageContaining("must differ");
  }

  @Test
  void theFreshTopicIsOffByDefaultAndGoesWithTheEmbeddedShards() {
    assertThat(IngestSettings.from(base()).freshTopic()).isNull();
    Configuration c = base();
    c.setString("kafka.fresh-topic", "images.fresh");
    assertThat(IngestSettings.from(c).freshTopic()).isEqualTo("images.fresh");
    c.setString("kafka.fresh-topic", "images.dlq");
    assertThatThrownBy(() -> IngestSettings.from(c)).hasMessageContaining("must differ");
    c.setString("kafka.fresh-topic", "images.fresh");
    c.setString("index.backend", "solr");
    c.set(IngestOptions.SOLR_CONNECT, "zk:2181");
    assertThatThrownBy(() -> IngestSettings.from(c))
        .hasMessageContaining("kafka.fresh-topic needs index.backend embedded");
  }

  @Test
  void theVectorFormatIsAnOptionOfTheEmbeddedShards() {
    assertThat(IngestSettings.from(base()).hnsw().vectorFormat())
        .isEqualTo(HnswOptions.VectorFormat.FLOAT32);
    Configuration c = base();
    c.setString("index.vector-format", "INT8");
    assertThat(IngestSettings.from(c).hnsw())
        .isEqualTo(new HnswOptions(16, 50, HnswOptions.VectorFormat.INT8));
    c.setString("index.vector-format", "int3");
    assertThatThrownBy(() -> IngestSettings.from(c)).hasMessageContaining("int3");
  }

  @Test
  void theSolrBackendTakesItsOptions() {
    Configuration c = base();
    c.setString("index.backend", "solr");
    c.set(IngestOptions.SOLR_CONNECT, "zk1:2181,zk2:2181/solr");
    c.set(IngestOptions.SOLR_SHARDS, 4);
    c.set(IngestOptions.SOLR_REPLICATION_FACTOR, 2);
    c.setString("index.solr.replicas", "tlog_pull");
    c.set(IngestOptions.SOLR_COMMIT_WITHIN, Duration.ofMillis(500));
    c.set(IngestOptions.HNSW_MAX_CONN, 32);
    SolrIndexSettings solr = IngestSettings.from(c).solr();
    assertThat(solr.connect()).isEqualTo("zk1:2181,zk2:2181/solr");
    assertThat(solr.alias()).isEqualTo("pixelstream");
    assertThat(solr.shards()).isEqualTo(4);
    assertThat(solr.replicationFactor()).isEqualTo(2);
    assertThat(solr.replicas()).isEqualTo(SolrIndexSettings.Replicas.TLOG_PULL);
    assertThat(solr.commitWithinMs()).isEqualTo(500);
    assertThat(solr.hnsw().maxConn()).isEqualTo(32);
  }

  @Test
  void theSolrBackendWithoutASolrIsRefused() {
    Configuration c = base();
    c.set(IngestOptions.INDEX_BACKEND, IndexBackendKind.SOLR);
    assertThatThrownBy(() -> IngestSettings.from(c)).hasMessageContaining("index.solr");
    c.set(IngestOptions.SOLR_CONNECT, "zk:2181");
    c.set(IngestOptions.SOLR_SHARDS, 0);
    assertThatThrownBy(() -> IngestSettings.from(c))
        .hasMessageContaining("index.solr.shards must be >= 1");
  }

  @Test
  void theCheckpointDirectoryComesFromTheClusterUnlessTheJobNamesOne() {
    Configuration cluster = base();
    cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://bucket/checkpoints");
    IngestSettings fromCluster = IngestSettings.from(cluster);
    assertThat(fromCluster.checkpointDir()).isNull();
    assertThat(
            IngestEnvironment.create(cluster, fromCluster)
                .getConfiguration()
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("s3://bucket/checkpoints");

    Configuration job = base();
    job.set(IngestOptions.CHECKPOINT_DIR, "/data/checkpoints");
    assertThat(
            IngestEnvironment.create(job, IngestSettings.from(job))
                .getConfiguration()
                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("file:///data/checkpoints");
  }

  @Test
  void noCheckpointDirectoryAnywhereIsRefused() {
    Configuration none = base();
    assertThatThrownBy(() -> IngestEnvironment.create(none, IngestSettings.from(none)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("execution.checkpointing.dir")
        .hasMessageContaining("--job.checkpoint-dir");
  }
}
