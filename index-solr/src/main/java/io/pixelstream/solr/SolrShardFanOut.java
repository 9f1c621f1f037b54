package io.pixelstream.solr;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.io.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;

/**
 * Searches a collection the way its coordinating node would, from the query API itself: the same
 * parameters with {@code distrib=false} to one active replica of every shard, in parallel, then the
 * shards' hits merged by score. It saves the hop through a coordinating Solr node (a request, its
 * parsing, two shard requests from there and the merged response written again), which is most of a
 * kNN search's cost on a small collection. Replicas take turns; a replica that fails is skipped for
 * the next one of its shard, and the answer fails only when no replica of a shard answers.
 * Thread-safe.
 */
final class SolrShardFanOut implements AutoCloseable {

  private final CloudHttp2SolrClient client;
  private final Http2SolrClient http;
  private final ExecutorService pool;
  private final AtomicInteger turn = new AtomicInteger();

  SolrShardFanOut(CloudHttp2SolrClient client) {
    this.client = client;
    this.http = client.getHttpClient();
    this.pool = Executors.newCachedThreadPool(DaemonThreads.named("solr-fan-out"));
  }

  /**
   * The {@code rows} best documents by {@code score} over all shards of {@code collection}; {@code
   * params} must ask for the score and at most {@code rows} rows.
   */
  List<SolrDocument> search(String collection, SolrParams params, int rows) throws IOException {
    DocCollection state = state(collection);
    Set<String> live = client.getClusterStateProvider().getLiveNodes();
    ModifiableSolrParams local = new ModifiableSolrParams(params);
    local.set("distrib", false);
    List<Slice> slices = new ArrayList<>(state.getActiveSlices());
    int first = turn.getAndIncrement();
    List<CompletableFuture<SolrDocumentList>> others = new ArrayList<>();
    for (int s = 1; s < slices.size(); s++) {
      Slice slice = slices.get(s);
      int start = first + s; // the shards of one request start on different nodes
      others.add(CompletableFuture.supplyAsync(() -> unchecked(slice, live, local, start), pool));
    }
    List<SolrDocumentList> answers = new ArrayList<>();
    try {
      if (!slices.isEmpty()) {
        answers.add(query(slices.get(0), live, local, first));
      }
      for (CompletableFuture<SolrDocumentList> f : others) {
        answers.add(f.join());
      }
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw e;
    }
    return merge(answers, rows);
  }

  /**
   * A real-time get of {@code id}'s {@code fields} from a replica of the shard the id is routed to
   * (one that keeps a transaction log, so the document is found before a commit); empty when no
   * such document exists.
   */
  Optional<SolrDocument> get(String collection, String id, String fields) throws IOException {
    DocCollection state = state(collection);
    Slice slice = state.getRouter().getTargetSlice(id, null, null, null, state);
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("id", id);
    p.set("fl", fields);
    p.set("distrib", false);
    QueryRequest request = new QueryRequest(p, SolrRequest.METHOD.POST);
    request.setPath("/get");
    Set<String> live = client.getClusterStateProvider().getLiveNodes();
    NamedList<Object> answer =
        send(candidates(slice, live, turn.getAndIncrement(), true), slice, request).getResponse();
    return Optional.ofNullable((SolrDocument) answer.get("doc"));
  }

  /** Hits of every shard, best score first (ties by id), at most {@code rows}. */
  static List<SolrDocument> merge(Collection<SolrDocumentList> answers, int rows) {
    List<SolrDocument> all = new ArrayList<>();
    answers.forEach(all::addAll);
    all.sort(
        Comparator.comparing((SolrDocument d) -> ((Number) d.getFirstValue("score")).floatValue())
            .reversed()
            .thenComparing(d -> String.valueOf(d.getFirstValue(IndexFields.ID))));
    return all.size() > rows ? List.copyOf(all.subList(0, rows)) : all;
  }

  /**
   * The replicas of {@code slice} that can answer: active, on a live node and, {@code
   * withTransactionLog}, not PULL replicas; starting at {@code turn} so that repeated requests
   * spread over them.
   */
  static List<Replica> candidates(
      Slice slice, Set<String> liveNodes, int turn, boolean withTransactionLog) {
    List<Replica> ok =
        slice.getReplicas(
            r ->
                r.getState() == Replica.State.ACTIVE
                    && liveNodes.contains(r.getNodeName())
                    && (!withTransactionLog || r.getType() != Replica.Type.PULL));
    List<Replica> ordered = new ArrayList<>(ok.size());
    for (int i = 0; i < ok.size(); i++) {
      ordered.add(ok.get(Math.floorMod(turn + i, ok.size())));
    }
    return ordered;
  }

  private SolrDocumentList query(Slice slice, Set<String> live, SolrParams params, int turn)
      throws IOException {
    QueryRequest request = new QueryRequest(params, SolrRequest.METHOD.POST);
    return send(candidates(slice, live, turn, false), slice, request).getResults();
  }

  /** {@code request} to the first of {@code replicas} that answers. */
  private QueryResponse send(List<Replica> replicas, Slice slice, QueryRequest request)
      throws IOException {
    IOException failed = null;
    for (Replica replica : replicas) {
      try {
        return http.requestWithBaseUrl(replica.getBaseUrl(), replica.getCoreName(), request);
      } catch (SolrServerException | SolrException | IOException e) {
        IOException next =
            new IOException(
                request.getPath() + " on " + replica.getCoreUrl() + " failed: " + e.getMessage(),
                e);
        if (failed != null) {
          next.addSuppressed(failed);
        }
        failed = next;
      }
    }
    if (failed != null) {
      throw failed;
    }
    throw new IOException(
        "shard " + slice.getName() + " of " + slice.getCollection() + " has no active replica");
  }

  private DocCollection state(String collection) throws IOException {
    DocCollection state = client.getClusterStateProvider().getCollection(collection);
    if (state == null) {
      throw new IOException("collection " + collection + " is not in the cluster state");
    }
    return state;
  }

  private SolrDocumentList unchecked(Slice slice, Set<String> live, SolrParams params, int turn) {
    try {
      return query(slice, live, params, turn);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
