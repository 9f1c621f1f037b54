package io.pixelstream.solr;

import io.pixelstream.core.backend.PinnedVersion;
import io.pixelstream.core.cluster.Centroids;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.search.SearchMode;
import io.pixelstream.core.search.SearchRequest;
import io.pixelstream.core.search.SearchResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.Group;
import org.apache.solr.client.solrj.response.GroupCommand;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * One version's collection as the query API sees it. Every call is one request to that collection
 * (never to the alias), so an answer holds one version's documents; Solr's searchers move to new
 * soft commits on their own, so {@link #refresh} has nothing to do. Searches go from here to one
 * replica of every shard ({@link SolrShardFanOut}), not through a coordinating node. Modes as
 * {@code VectorSearch} ranks them: HNSW is Solr's {@code knn} query parser (Lucene's HNSW per
 * shard, {@code candidates} as its topK), CLUSTER and EXACT score every matching vector with the
 * {@code vectorSimilarity} function, which is the field's own similarity, so the scores equal the
 * embedded backend's. The cluster, label and near-duplicate filters are filter queries, which Solr
 * applies before the kNN search. Thread-safe.
 */
final class SolrPinnedVersion implements PinnedVersion {

  private static final String HIT_FIELDS =
      String.join(",", IndexFields.ID, "score", IndexFields.CLUSTER, IndexFields.LABEL);

  private final SolrIndexBackend backend;
  private final String modelVersion;
  private final String collection;

  SolrPinnedVersion(SolrIndexBackend backend, String modelVersion) {
    this.backend = backend;
    this.modelVersion = modelVersion;
    this.collection = backend.settings().collection(modelVersion);
  }

  @Override
  public String modelVersion() {
    return modelVersion;
  }

  @Override
  public boolean refresh() {
    return false;
  }

  @Override
  public SearchResult search(float[] query, SearchRequest request, Centroids centroids)
      throws IOException {
    Integer predicted = request.predictedCluster(query, centroids);
    Integer cluster = request.clusterFilter(predicted);
    String vector = SolrDocuments.vectorLiteral(query);
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set(
        "q",
        request.mode() == SearchMode.HNSW
            ? "{!knn f="
                + IndexFields.VECTOR
                + " topK="
                + Math.max(request.k(), request.candidates())
                + "}"
                + vector
            : "{!func}vectorSimilarity(" + IndexFields.VECTOR + "," + vector + ")");
    if (cluster != null) {
      p.add("fq", IndexFields.CLUSTER + ":" + cluster);
    }
    if (request.excludeDuplicates()) {
      p.add("fq", "-" + IndexFields.DUPLICATE_OF + ":[* TO *]");
    }
    if (request.label() != null) {
      p.add("fq", IndexFields.LABEL + ":" + request.label());
    }
    p.set("rows", request.k());
    p.set("fl", HIT_FIELDS);
    List<SearchResult.Hit> hits = new ArrayList<>();
    if (backend.exists(collection)) {
      for (SolrDocument doc : backend.fanOut().search(collection, p, request.k())) {
        hits.add(SolrDocuments.hit(doc));
      }
    }
    return new SearchResult(hits, predicted);
  }

  /** A real-time get: one request to a replica of the shard the id is routed to. */
  @Override
  public Optional<float[]> vector(String id) throws IOException {
    return realTimeGet(id, IndexFields.VECTOR).map(SolrDocuments::vector);
  }

  @Override
  public Optional<byte[]> image(String id) throws IOException {
    return byId(id, IndexFields.IMAGE)
        .map(d -> SolrDocuments.bytes(d.getFirstValue(IndexFields.IMAGE)));
  }

  private Optional<SolrDocument> realTimeGet(String id, String fields) throws IOException {
    if (!backend.exists(collection)) {
      return Optional.empty();
    }
    return backend.fanOut().get(collection, id, fields);
  }

  private Optional<SolrDocument> byId(String id, String fields) throws IOException {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "{!term f=" + IndexFields.ID + "}" + id);
    p.set("_route_", id); // only the shard the id is routed to
    p.set("rows", 1);
    p.set("fl", fields);
    return query(p).flatMap(r -> r.getResults().stream().findFirst());
  }

  /** One grouped request: per cluster its size (the group's hits) and its first ids. */
  @Override
  public List<ClusterSample> clusters(int k, int samples) throws IOException {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "*:*");
    p.set("fl", IndexFields.ID);
    p.set("group", true);
    p.set("group.field", IndexFields.CLUSTER);
    p.set("group.limit", Math.max(1, samples));
    p.set("rows", k);
    p.set("sort", IndexFields.ID + " asc");
    Map<Integer, ClusterSample> found = new java.util.HashMap<>();
    Optional<QueryResponse> response = query(p);
    if (response.isPresent()) {
      for (GroupCommand command : response.get().getGroupResponse().getValues()) {
        for (Group group : command.getValues()) {
          if (group.getGroupValue() == null) {
            continue;
          }
          int c = Integer.parseInt(group.getGroupValue());
          SolrDocumentList docs = group.getResult();
          List<String> ids = new ArrayList<>();
          for (SolrDocument d : docs) {
            if (ids.size() < samples) {
              ids.add((String) d.getFirstValue(IndexFields.ID));
            }
          }
          found.put(c, new ClusterSample(c, docs.getNumFound(), ids));
        }
      }
    }
    List<ClusterSample> out = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      out.add(found.getOrDefault(c, new ClusterSample(c, 0, List.of())));
    }
    return out;
  }

  /**
   * Live documents, Solr shards, and the newest visible document's ingest time as the newest
   * commit's time (Solr does not tell a client when its soft commits ran).
   */
  @Override
  public Snapshot snapshot() throws IOException {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "*:*");
    p.set("rows", 1);
    p.set("fl", IndexFields.INGEST_TIME);
    p.set("sort", IndexFields.INGEST_TIME + " desc");
    Optional<QueryResponse> response = query(p);
    if (response.isEmpty()) {
      return new Snapshot(0, 0, -1, -1);
    }
    SolrDocumentList docs = response.get().getResults();
    long newest =
        docs.isEmpty()
            ? -1
            : ((Number) docs.get(0).getFirstValue(IndexFields.INGEST_TIME)).longValue();
    return new Snapshot(docs.getNumFound(), backend.shardCount(modelVersion), newest, -1);
  }

  /** Runs {@code params} on the collection; empty while the collection does not exist yet. */
  private Optional<QueryResponse> query(ModifiableSolrParams params) throws IOException {
    if (!backend.exists(collection)) {
      return Optional.empty();
    }
    try {
      return Optional.of(backend.client().query(collection, params, SolrRequest.METHOD.POST));
    } catch (SolrServerException | SolrException e) {
      throw new IOException("query on " + collection + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    // the backend owns the client
  }
}
