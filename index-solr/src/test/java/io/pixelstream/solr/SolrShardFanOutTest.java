package io.pixelstream.solr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.junit.jupiter.api.Test;

class SolrShardFanOutTest {

  @Test
  void mergeKeepsTheBestScoresOfAllShardsTiesById() {
    SolrDocumentList a = answer(hit("a1", 0.9f), hit("a2", 0.5f), hit("a3", 0.1f));
    SolrDocumentList b = answer(hit("b1", 0.7f), hit("b0", 0.5f), hit("b2", 0.2f));

    List<SolrDocument> merged = SolrShardFanOut.merge(List.of(a, b), 4);

    assertThat(merged)
        .extracting(d -> d.getFirstValue("id"))
        .containsExactly("a1", "b1", "a2", "b0");
  }

  @Test
  void mergeReturnsFewerWhenTheShardsHoldFewer() {
    List<SolrDocument> merged =
        SolrShardFanOut.merge(List.of(answer(hit("x", 0.3f)), answer()), 10);

    assertThat(merged).extracting(d -> d.getFirstValue("id")).containsExactly("x");
  }

  @Test
  void candidatesAreActiveReplicasOnLiveNodesInTurnWithoutPullForRealTimeGets() {
    Map<String, Replica> replicas = new LinkedHashMap<>();
    replicas.put("r1", replica("r1", "n1", Replica.State.ACTIVE));
    replicas.put("r2", replica("r2", "n2", Replica.State.ACTIVE));
    replicas.put("r3", replica("r3", "n3", Replica.State.ACTIVE)); // node down
    replicas.put("r4", replica("r4", "n1", Replica.State.RECOVERING));
    replicas.put("r5", replica("r5", "n2", Replica.State.ACTIVE));
    replicas.put("r6", replica("r6", "n1", Replica.State.ACTIVE, Replica.Type.PULL));
    Slice slice = new Slice("shard1", replicas, Map.of(), "c");
    Set<String> live = Set.of("n1", "n2");

    assertThat(SolrShardFanOut.candidates(slice, live, 0, false))
        .extracting(Replica::getName)
        .containsExactly("r1", "r2", "r5", "r6");
    assertThat(SolrShardFanOut.candidates(slice, live, 5, false))
        .extracting(Replica::getName)
        .containsExactly("r2", "r5", "r6", "r1");
    assertThat(SolrShardFanOut.candidates(slice, live, 0, true))
        .extracting(Replica::getName)
        .containsExactly("r1", "r2", "r5");
    assertThat(SolrShardFanOut.candidates(slice, Set.of("n9"), 0, false)).isEmpty();
  }

  private static Replica replica(String name, String node, Replica.State state) {
    return replica(name, node, state, Replica.Type.NRT);
  }

  private static Replica replica(String name, String node, Replica.State state, Replica.Type type) {
    return new Replica(
        name,
        node,
        "c",
        "shard1",
        "core_" + name,
        state,
        type,
        Map.of("base_url", "http://" + node + ":8983/solr"));
  }

  private static SolrDocument hit(String id, float score) {
    SolrDocument d = new SolrDocument();
    d.setField("id", id);
    d.setField("score", score);
    return d;
  }

  private static SolrDocumentList answer(SolrDocument... docs) {
    SolrDocumentList list = new SolrDocumentList();
    list.addAll(List.of(docs));
    return list;
  }
}
