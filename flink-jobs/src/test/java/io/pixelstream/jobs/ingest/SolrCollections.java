package io.pixelstream.jobs.ingest;

import io.pixelstream.core.index.IndexFields;
import io.pixelstream.deploy.solr.SolrCloudExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the Solr ITCases read from the SolrCloud directly, past the backend under test: document
 * counts, every document of a collection, waits for a count, the alias's properties. A JUnit
 * extension beside the {@link SolrCloudExtension}: one client for the test class, made on first use
 * (so the order the two extensions start in does not matter) and closed after the class.
 */
final class SolrCollections implements AfterAllCallback {

  private final SolrCloudExtension solr;
  private CloudSolrClient client;

  SolrCollections(SolrCloudExtension solr) {
    this.solr = solr;
  }

  synchronized CloudSolrClient client() {
    if (client == null) {
      client =
          new CloudHttp2SolrClient.Builder(List.of(solr.cloud().zkHost()), Optional.empty())
              .build();
    }
    return client;
  }

  long count(String collection) throws Exception {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "*:*");
    p.set("rows", 0);
    return client().query(collection, p).getResults().getNumFound();
  }

  /** Every document of {@code collection} by id (all fields but the image). */
  Map<String, SolrDocument> fetchAll(String collection) throws Exception {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "*:*");
    p.set("rows", 10_000);
    p.set(
        "fl",
        String.join(
            ",",
            IndexFields.ID,
            IndexFields.VECTOR,
            IndexFields.CLUSTER,
            IndexFields.LABEL,
            IndexFields.MODEL_VERSION));
    Map<String, SolrDocument> byId = new HashMap<>();
    for (SolrDocument d : client().query(collection, p, SolrRequest.METHOD.POST).getResults()) {
      byId.put((String) d.getFirstValue(IndexFields.ID), d);
    }
    return byId;
  }

  /**
   * Waits up to {@code timeoutMs} until {@code collection}'s count satisfies {@code wanted} (a
   * collection not created yet counts as not); returns the count.
   */
  long awaitCount(String collection, LongPredicate wanted, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      try {
        long now = count(collection);
        if (wanted.test(now)) {
          return now;
        }
      } catch (Exception e) {
        // the collection is created when the job opens it
      }
      Thread.sleep(100);
    }
    throw new AssertionError(collection + " did not reach the expected document count");
  }

  /** The indexed vector of {@code doc}. */
  static float[] vector(SolrDocument doc) {
    List<?> values = new ArrayList<>(doc.getFieldValues(IndexFields.VECTOR));
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) values.get(i)).floatValue();
    }
    return v;
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) throws Exception {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
