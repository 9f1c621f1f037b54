package io.pixelstream.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pixelstream.core.index.HnswOptions;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class SolrSchemaTest {

  @Test
  void theVectorFieldHasTheManifestsDimensionSimilarityAndOurGraph() throws Exception {
    SolrSchema schema = new SolrSchema(64, "cosine", new HnswOptions(32, 200));
    assertThat(schema.configName("pixelstream")).isEqualTo("pixelstream-d64-cosine-m32-b200");
    assertThat(schema.schemaXml())
        .contains("vectorDimension=\"64\"")
        .contains("similarityFunction=\"cosine\"")
        .contains("hnswMaxConnections=\"32\"")
        .contains("hnswBeamWidth=\"200\"")
        .contains("<uniqueKey>id</uniqueKey>");
    List<String> files = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(schema.zip()))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        files.add(e.getName());
      }
    }
    assertThat(files).containsExactly("schema.xml", "solrconfig.xml");
  }

  @Test
  void refusesWhatSolrCouldNotIndex() {
    assertThatThrownBy(() -> new SolrSchema(0, "COSINE", HnswOptions.DEFAULT))
        .hasMessageContaining("dimension");
    assertThatThrownBy(() -> new SolrSchema(8, "MANHATTAN", HnswOptions.DEFAULT))
        .hasMessageContaining("similarity");
  }

  @Test
  void collectionNamesRoundTripToVersions() {
    SolrIndexSettings s =
        new SolrIndexSettings(
            "127.0.0.1:2181/solr",
            "px",
            2,
            1,
            SolrIndexSettings.Replicas.NRT,
            HnswOptions.DEFAULT,
            200);
    assertThat(s.collection("v2026.11-a")).isEqualTo("px_v2026.11-a");
    assertThat(s.versionOf("px_v2026.11-a")).isEqualTo("v2026.11-a");
    assertThat(s.versionOf("other")).isNull();
    assertThat(s.hosts()).containsExactly("127.0.0.1:2181");
    assertThat(s.chroot()).isEqualTo("/solr");
    assertThat(SolrIndexSettings.forQueries("http://a:8983/solr,http://b:8983/solr", "px").hosts())
        .containsExactly("http://a:8983/solr", "http://b:8983/solr");
  }
}
