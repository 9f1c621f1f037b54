package io.pixelstream.solr;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.index.IndexFields;
import io.pixelstream.core.index.IndexedImage;
import io.pixelstream.core.search.SearchResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/** Images as Solr documents and back: the fields of {@link SolrSchema}. */
final class SolrDocuments {

  private SolrDocuments() {}

  static SolrInputDocument of(IndexedImage image) {
    SolrInputDocument doc = new SolrInputDocument();
    doc.addField(IndexFields.ID, image.id());
    List<Float> vector = new ArrayList<>(image.vector().length);
    for (float v : image.vector()) {
      vector.add(v);
    }
    doc.addField(IndexFields.VECTOR, vector);
    doc.addField(IndexFields.CLUSTER, image.cluster());
    if (image.label() != null) {
      doc.addField(IndexFields.LABEL, image.label());
    }
    if (image.source() != null) {
      doc.addField(IndexFields.SOURCE, image.source());
    }
    doc.addField(IndexFields.MODEL_VERSION, image.modelVersion());
    doc.addField(IndexFields.INGEST_TIME, image.ingestTime());
    doc.addField(IndexFields.EVENT_TIME, image.eventTime());
    doc.addField(IndexFields.IMAGE, image.image());
    if (image.duplicateOf() != null) {
      doc.addField(IndexFields.DUPLICATE_OF, image.duplicateOf());
    }
    return doc;
  }

  /** The stored image a document holds (all fields requested). */
  static IndexedImage image(SolrDocument doc) {
    return new IndexedImage(
        (String) doc.getFirstValue(IndexFields.ID),
        vector(doc),
        ((Number) doc.getFirstValue(IndexFields.CLUSTER)).intValue(),
        intOrNull(doc.getFirstValue(IndexFields.LABEL)),
        (String) doc.getFirstValue(IndexFields.SOURCE),
        (String) doc.getFirstValue(IndexFields.MODEL_VERSION),
        ((Number) doc.getFirstValue(IndexFields.INGEST_TIME)).longValue(),
        ((Number) doc.getFirstValue(IndexFields.EVENT_TIME)).longValue(),
        bytes(doc.getFirstValue(IndexFields.IMAGE)),
        (String) doc.getFirstValue(IndexFields.DUPLICATE_OF));
  }

  /** The stored image and label of a document read with id, image and label. */
  static IndexBackend.StoredImage stored(SolrDocument doc) {
    return new IndexBackend.StoredImage(
        (String) doc.getFirstValue(IndexFields.ID),
        bytes(doc.getFirstValue(IndexFields.IMAGE)),
        intOrNull(doc.getFirstValue(IndexFields.LABEL)));
  }

  /** A search hit: id, score, cluster and label. */
  static SearchResult.Hit hit(SolrDocument doc) {
    return new SearchResult.Hit(
        (String) doc.getFirstValue(IndexFields.ID),
        ((Number) doc.getFirstValue("score")).floatValue(),
        ((Number) doc.getFirstValue(IndexFields.CLUSTER)).intValue(),
        intOrNull(doc.getFirstValue(IndexFields.LABEL)));
  }

  static float[] vector(SolrDocument doc) {
    Collection<Object> values = doc.getFieldValues(IndexFields.VECTOR);
    if (values == null) {
      return null;
    }
    float[] vector = new float[values.size()];
    int i = 0;
    for (Object v : values) {
      vector[i++] = ((Number) v).floatValue();
    }
    return vector;
  }

  static byte[] bytes(Object stored) {
    if (stored instanceof byte[] b) {
      return b;
    }
    if (stored instanceof java.nio.ByteBuffer buffer) {
      byte[] b = new byte[buffer.remaining()];
      buffer.duplicate().get(b);
      return b;
    }
    return null;
  }

  private static Integer intOrNull(Object value) {
    return value == null ? null : ((Number) value).intValue();
  }

  /** {@code vector} as Solr's vector syntax, {@code [v1,v2,...]}, each float exactly. */
  static String vectorLiteral(float[] vector) {
    StringBuilder b = new StringBuilder(vector.length * 12).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(vector[i]);
    }
    return b.append(']').toString();
  }
}
