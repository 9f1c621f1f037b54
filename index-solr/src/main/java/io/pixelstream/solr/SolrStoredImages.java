package io.pixelstream.solr;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.index.IndexFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * Pages through a version's collection by id with a cursor, reading each document's stored image
 * and label: what the trainer retrains on ({@link IndexBackend#storedImages}).
 */
final class SolrStoredImages {

  private static final int PAGE = 500;

  private SolrStoredImages() {}

  static List<IndexBackend.StoredImage> read(SolrIndexBackend backend, String version, int limit)
      throws IOException {
    String collection = backend.settings().collection(version);
    List<IndexBackend.StoredImage> out = new ArrayList<>();
    if (!backend.exists(collection)) {
      return out;
    }
    String mark = CursorMarkParams.CURSOR_MARK_START;
    while (out.size() < limit) {
      ModifiableSolrParams p = new ModifiableSolrParams();
      p.set("q", "*:*");
      p.set("fl", String.join(",", IndexFields.ID, IndexFields.IMAGE, IndexFields.LABEL));
      p.set("sort", IndexFields.ID + " asc");
      p.set("rows", Math.min(PAGE, limit - out.size()));
      p.set(CursorMarkParams.CURSOR_MARK_PARAM, mark);
      QueryResponse page =
          SolrRetry.until(
              "read stored images of " + collection,
              () -> backend.client().query(collection, p, SolrRequest.METHOD.POST));
      for (SolrDocument doc : page.getResults()) {
        out.add(SolrDocuments.stored(doc));
      }
      if (page.getNextCursorMark().equals(mark)) {
        break;
      }
      mark = page.getNextCursorMark();
    }
    return out;
  }
}
