package io.pixelstream.core.index;

import java.util.Arrays;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * Converts between {@link IndexedImage} and Lucene documents, the one place the layout is coded.
 */
public final class ImageDocuments {

  private ImageDocuments() {}

  /** The document for {@code image}; the vector is indexed with {@code similarity}. */
  public static Document toDocument(IndexedImage image, VectorSimilarityFunction similarity) {
    Document doc = new Document();
    doc.add(new KeywordField(IndexFields.ID, image.id(), Field.Store.YES));
    doc.add(new KnnFloatVectorField(IndexFields.VECTOR, image.vector(), similarity));
    doc.add(new IntField(IndexFields.CLUSTER, image.cluster(), Field.Store.YES));
    if (image.label() != null) {
      doc.add(new IntField(IndexFields.LABEL, image.label(), Field.Store.YES));
    }
    if (image.source() != null) {
      doc.add(new KeywordField(IndexFields.SOURCE, image.source(), Field.Store.YES));
    }
    doc.add(new KeywordField(IndexFields.MODEL_VERSION, image.modelVersion(), Field.Store.YES));
    doc.add(new LongField(IndexFields.INGEST_TIME, image.ingestTime(), Field.Store.YES));
    doc.add(new LongField(IndexFields.EVENT_TIME, image.eventTime(), Field.Store.YES));
    doc.add(new StoredField(IndexFields.IMAGE, image.image()));
    if (image.duplicateOf() != null) {
      doc.add(new KeywordField(IndexFields.DUPLICATE_OF, image.duplicateOf(), Field.Store.YES));
    }
    return doc;
  }

  /**
   * The stored fields of {@code doc} as an {@link IndexedImage}; the vector is not a stored field,
   * pass it in (or null) from the vector values.
   */
  public static IndexedImage fromStored(Document doc, float[] vector) {
    IndexableField label = doc.getField(IndexFields.LABEL);
    IndexableField image = doc.getField(IndexFields.IMAGE);
    return new IndexedImage(
        doc.get(IndexFields.ID),
        vector,
        doc.getField(IndexFields.CLUSTER).numericValue().intValue(),
        label == null ? null : label.numericValue().intValue(),
        doc.get(IndexFields.SOURCE),
        doc.get(IndexFields.MODEL_VERSION),
        doc.getField(IndexFields.INGEST_TIME).numericValue().longValue(),
        doc.getField(IndexFields.EVENT_TIME).numericValue().longValue(),
        image == null ? null : bytes(image),
        doc.get(IndexFields.DUPLICATE_OF));
  }

  /** The stored image bytes of {@code doc}, or null when it has none. */
  public static byte[] imageBytes(Document doc) {
    IndexableField image = doc.getField(IndexFields.IMAGE);
    return image == null ? null : bytes(image);
  }

  private static byte[] bytes(IndexableField field) {
    BytesRef b = field.binaryValue();
    return Arrays.copyOfRange(b.bytes, b.offset, b.offset + b.length);
  }
}
