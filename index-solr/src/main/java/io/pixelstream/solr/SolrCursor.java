package io.pixelstream.solr;

import io.pixelstream.core.index.IndexFields;
import java.io.IOException;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;

/** Pages through a whole collection in id order with Solr's cursor, a page at a time. */
final class SolrCursor {

  /** Takes one document; false stops the scan. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(SolrDocument doc) throws IOException;
  }

  private SolrCursor() {}

  /**
   * Hands every document of {@code collection} (fields {@code fl}) to {@code each}, in id order,
   * until it returns false or the collection ends; each page is retried as {@link SolrRetry} does.
   */
  static void scan(SolrIndexBackend backend, String collection, String fl, int rows, Visitor each)
      throws IOException {
    String mark = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      QueryResponse page = page(backend, collection, fl, rows, mark);
      for (SolrDocument doc : page.getResults()) {
        if (!each.visit(doc)) {
          return;
        }
      }
      if (page.getNextCursorMark().equals(mark)) {
        return;
      }
      mark = page.getNextCursorMark();
    }
  }

  /**
   * The page of {@code collection} after cursor {@code mark}, in id order ({@code fl} null: every
   * stored field); its next cursor mark equals {@code mark} at the end.
   */
  static QueryResponse page(
      SolrIndexBackend backend, String collection, String fl, int rows, String mark)
      throws IOException {
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", "*:*");
    if (fl != null) {
      p.set("fl", fl);
    }
    p.set("sort", IndexFields.ID + " asc");
    p.set("rows", rows);
    p.set(CursorMarkParams.CURSOR_MARK_PARAM, mark);
    return SolrRetry.until(
        "page through " + collection,
        () -> backend.client().query(collection, p, SolrRequest.METHOD.POST));
  }
}
