package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryOptionsTest {

  @Test
  void flagsBeatEnvironmentWhichBeatsTheConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("query.properties");
    Files.writeString(file, "model-dir=/from/file\nport=1111\nmax-k=7\nthreads=3\n");
    QueryOptions o =
        QueryOptions.parse(
            new String[] {"--config", file.toString(), "--port", "3333"},
            Map.of("PIXELSTREAM_QUERY_PORT", "2222", "PIXELSTREAM_QUERY_MAX_K", "9"));
    assertThat(o.port()).isEqualTo(3333);
    assertThat(o.maxK()).isEqualTo(9);
    assertThat(o.threads()).isEqualTo(3);
    assertThat(o.modelDir()).isEqualTo(Path.of("/from/file"));
    assertThat(o.indexRoot()).isEqualTo(Path.of("data/index"));
    assertThat(o.candidates()).isEqualTo(30);
    assertThat(o.searchThreads()).as("segments searched in the request thread").isZero();
    assertThat(
            QueryOptions.parse(new String[] {"--model-dir", "m", "--search-threads", "2"}, Map.of())
                .searchThreads())
        .isEqualTo(2);
  }

  @Test
  void requestThreadsDefaultToOnePerCoreOverEmbeddedShardsAndEightOverSolr() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(QueryOptions.parse(new String[] {"--model-dir", "m"}, Map.of()).threads())
        .as("a search is CPU work: served in turn, not time-sliced")
        .isEqualTo(Math.max(2, cores));
    assertThat(
            QueryOptions.parse(
                    new String[] {
                      "--model-dir", "m", "--index-backend", "solr", "--solr", "zk:2181/solr"
                    },
                    Map.of())
                .threads())
        .as("a request waits on Solr")
        .isEqualTo(8);
  }

  @Test
  void clearErrors(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> QueryOptions.parse(new String[0], Map.of()))
        .hasMessageContaining("give one of --model-dir (a fixed model) and --registry");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(new String[] {"--model-dir", "m", "--registry", "r"}, Map.of()))
        .hasMessageContaining("give one of --model-dir");
    assertThat(QueryOptions.parse(new String[] {"--registry", "r"}, Map.of()).registry())
        .isEqualTo(Path.of("r"));
    assertThatThrownBy(
            () -> QueryOptions.parse(new String[] {"--model-dir", "m", "--port", "-1"}, Map.of()))
        .hasMessageContaining("--port must be in 0..65535");
    assertThatThrownBy(
            () -> QueryOptions.parse(new String[] {"--model-dir", "m", "--max-k", "ten"}, Map.of()))
        .hasMessageContaining("--max-k must be an integer");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {"--model-dir", "m", "--search-threads", "-1"}, Map.of()))
        .hasMessageContaining("--search-threads must be >= 0, got -1");
    Path bad = dir.resolve("bad.properties");
    Files.writeString(bad, "modeldir=x\n");
    assertThatThrownBy(
            () -> QueryOptions.parse(new String[] {"--config", bad.toString()}, Map.of()))
        .hasMessageContaining("unknown option 'modeldir'");
  }

  @Test
  void watchesNeedKafkaAndTakeTheirTopicsAndCap() throws Exception {
    assertThat(QueryOptions.parse(new String[] {"--model-dir", "m"}, Map.of()).watches()).isNull();
    WatchOptions w =
        QueryOptions.parse(
                new String[] {"--model-dir", "m", "--kafka", "k:9092", "--max-watches", "5"},
                Map.of("PIXELSTREAM_QUERY_MATCH_TOPIC", "hits"))
            .watches();
    assertThat(w.bootstrapServers()).isEqualTo("k:9092");
    assertThat(w.watchTopic()).isEqualTo(WatchOptions.DEFAULT_WATCH_TOPIC);
    assertThat(w.matchTopic()).isEqualTo("hits");
    assertThat(w.maxWatches()).isEqualTo(5);
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {"--model-dir", "m", "--kafka", "k:9092", "--max-watches", "0"},
                    Map.of()))
        .hasMessageContaining("--max-watches must be >= 1");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {
                      "--model-dir", "m", "--kafka", "k", "--match-topic", "images.watches"
                    },
                    Map.of()))
        .hasMessageContaining("must differ");
  }

  @Test
  void theFreshTopicNeedsKafkaAndTheEmbeddedShards() throws Exception {
    assertThat(
            QueryOptions.parse(new String[] {"--model-dir", "m", "--kafka", "k"}, Map.of())
                .watches()
                .freshTopic())
        .isNull();
    assertThat(
            QueryOptions.parse(
                    new String[] {
                      "--model-dir", "m", "--kafka", "k", "--fresh-topic", "images.fresh"
                    },
                    Map.of())
                .watches()
                .freshTopic())
        .isEqualTo("images.fresh");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {"--model-dir", "m", "--fresh-topic", "images.fresh"}, Map.of()))
        .hasMessageContaining("--fresh-topic needs --kafka");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {
                      "--model-dir", "m", "--kafka", "k", "--fresh-topic", "images.matches"
                    },
                    Map.of()))
        .hasMessageContaining("--fresh-topic must differ");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {
                      "--model-dir",
                      "m",
                      "--kafka",
                      "k",
                      "--fresh-topic",
                      "f",
                      "--index-backend",
                      "solr",
                      "--solr",
                      "zk:2181"
                    },
                    Map.of()))
        .hasMessageContaining("--fresh-topic needs --index-backend embedded");
  }

  @Test
  void theSolrBackendNeedsWhereSolrIs() throws Exception {
    assertThat(QueryOptions.parse(new String[] {"--model-dir", "m"}, Map.of()).solr()).isNull();
    QueryOptions solr =
        QueryOptions.parse(
            new String[] {"--model-dir", "m", "--index-backend", "solr", "--solr", "zk:2181/solr"},
            Map.of("PIXELSTREAM_QUERY_SOLR_ALIAS", "images"));
    assertThat(solr.solr().connect()).isEqualTo("zk:2181/solr");
    assertThat(solr.solr().alias()).isEqualTo("images");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {"--model-dir", "m", "--index-backend", "solr"}, Map.of()))
        .hasMessageContaining("--solr");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {"--model-dir", "m", "--index-backend", "elastic"}, Map.of()))
        .hasMessageContaining("index-backend")
        .hasMessageContaining("solr");
  }

  @Test
  void accessDefaultsToLoopbackWithoutTokenAndReadsTheTokenFile(@TempDir Path dir)
      throws Exception {
    QueryOptions local = QueryOptions.parse(new String[] {"--model-dir", "m"}, Map.of());
    assertThat(local.access()).isEqualTo(ApiAccess.LOCAL);
    assertThat(local.access().admits(null)).isTrue();

    Path token = dir.resolve("token");
    Files.writeString(token, "  abcdefghijklmnopqrstuvwxyz\nsecond line ignored\n");
    QueryOptions guarded =
        QueryOptions.parse(
            new String[] {"--model-dir", "m", "--host", "0.0.0.0", "--max-queued", "10"},
            Map.of("PIXELSTREAM_QUERY_TOKEN_FILE", token.toString()));
    assertThat(guarded.access().host()).isEqualTo("0.0.0.0");
    assertThat(guarded.access().maxQueued()).isEqualTo(10);
    assertThat(guarded.access().admits("Bearer abcdefghijklmnopqrstuvwxyz")).isTrue();
    assertThat(guarded.access().admits("Bearer abcdefghijklmnopqrstuvwxy")).isFalse();
    assertThat(guarded.access().admits("abcdefghijklmnopqrstuvwxyz")).isFalse();
    assertThat(guarded.access().admits(null)).isFalse();
    assertThat(guarded.access().toString()).doesNotContain("abcdefghij");

    Path shortToken = dir.resolve("short");
    Files.writeString(shortToken, "hunter2\n");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {"--model-dir", "m", "--token-file", shortToken.toString()},
                    Map.of()))
        .hasMessageContaining("at least 16 characters");
    assertThatThrownBy(
            () ->
                QueryOptions.parse(
                    new String[] {"--model-dir", "m", "--max-queued", "5000"}, Map.of()))
        .hasMessageContaining("--max-queued must be in 0..1023");
  }
}
