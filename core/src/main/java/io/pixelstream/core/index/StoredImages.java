package io.pixelstream.core.index;

import io.pixelstream.core.backend.IndexBackend;
import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * Reads the images stored in a model version (the original bytes), from whichever index backend
 * holds them, so a new model can be trained on what the system has ingested. Images without a label
 * get {@value #NO_LABEL}.
 */
public final class StoredImages {

  public static final int NO_LABEL = -1;

  /** The version of {@link #read} that means "whichever version is served now". */
  public static final String SERVING = "serving";

  private StoredImages() {}

  /**
   * Up to {@code limit} stored images of {@code version} ({@value #SERVING}: the served one),
   * converted to {@code shape}.
   *
   * @throws IOException when the version holds none, or the backend serves none for {@value
   *     #SERVING}
   */
  public static LabelledImages read(
      IndexBackend backend, String version, InputShape shape, int limit) throws IOException {
    return read(backend, version, shape, ResizeMode.STRETCH, limit);
  }

  /** {@link #read(IndexBackend, String, InputShape, int)}, resized as {@code resize} says. */
  public static LabelledImages read(
      IndexBackend backend, String version, InputShape shape, ResizeMode resize, int limit)
      throws IOException {
    String v = version;
    if (version.equals(SERVING)) {
      v =
          backend
              .servedVersion()
              .orElseThrow(() -> new IOException("the index serves no version yet"));
    }
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(shape, Normalization.unit(shape.channels()), resize);
    List<IndexBackend.StoredImage> stored = backend.storedImages(v, limit);
    if (stored.isEmpty()) {
      throw new IOException("no stored images in version " + v);
    }
    byte[][] pixels = new byte[stored.size()][];
    int[] labels = new int[stored.size()];
    for (int i = 0; i < stored.size(); i++) {
      IndexBackend.StoredImage image = stored.get(i);
      try {
        pixels[i] = preprocessor.toPixels(decoder.decode(image.image()));
      } catch (RejectedInputException e) {
        throw new IOException("stored image " + image.id() + ": " + e.describe(), e);
      }
      labels[i] = image.label() == null ? NO_LABEL : image.label();
    }
    return new LabelledImages(shape, pixels, labels);
  }

  /** Up to {@code limit} committed images of {@code version}'s Lucene shards, shard by shard. */
  public static List<IndexBackend.StoredImage> scan(IndexLayout layout, String version, int limit)
      throws IOException {
    List<IndexBackend.StoredImage> out = new ArrayList<>();
    Set<String> fields = Set.of(IndexFields.ID, IndexFields.IMAGE, IndexFields.LABEL);
    for (var shard : layout.shardDirs(version)) {
      try (FSDirectory dir = FSDirectory.open(shard)) {
        if (!DirectoryReader.indexExists(dir)) {
          continue;
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          for (LeafReaderContext leaf : reader.leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            var stored = leaf.reader().storedFields();
            for (int d = 0; d < leaf.reader().maxDoc() && out.size() < limit; d++) {
              if (live != null && !live.get(d)) {
                continue;
              }
              Document doc = stored.document(d, fields);
              IndexableField label = doc.getField(IndexFields.LABEL);
              out.add(
                  new IndexBackend.StoredImage(
                      doc.get(IndexFields.ID),
                      ImageDocuments.imageBytes(doc),
                      label == null ? null : label.numericValue().intValue()));
            }
          }
        }
      }
    }
    return out;
  }
}
