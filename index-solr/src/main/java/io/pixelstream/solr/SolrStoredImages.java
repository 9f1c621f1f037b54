package io.pixelstream.solr;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.index.IndexFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a version's stored images and labels, in id order: what the trainer retrains on ({@link
 * IndexBackend#storedImages}).
 */
final class SolrStoredImages {

  private static final int PAGE = 500;

  private SolrStoredImages() {}

  static List<IndexBackend.StoredImage> read(SolrIndexBackend backend, String version, int limit)
      throws IOException {
    String collection = backend.settings().collection(version);
    List<IndexBackend.StoredImage> out = new ArrayList<>();
    if (limit <= 0 || !backend.exists(collection)) {
      return out;
    }
    SolrCursor.scan(
        backend,
        collection,
        String.join(",", IndexFields.ID, IndexFields.IMAGE, IndexFields.LABEL),
        Math.min(PAGE, limit),
        doc -> {
          out.add(SolrDocuments.stored(doc));
          return out.size() < limit;
        });
    return out;
  }
}
