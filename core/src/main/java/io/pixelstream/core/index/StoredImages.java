package io.pixelstream.core.index;

import io.pixelstream.core.data.LabelledImages;
import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
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
 * Reads the images stored in a model version's committed shards (the original bytes), so a new
 * model can be trained on, or re-embed, what the system has ingested. Images without a label get
 * {@value #NO_LABEL}.
 */
public final class StoredImages {

  public static final int NO_LABEL = -1;

  private StoredImages() {}

  /** Up to {@code limit} stored images of {@code version}, converted to {@code shape}. */
  public static LabelledImages read(IndexLayout layout, String version, InputShape shape, int limit)
      throws IOException {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(shape, Normalization.unit(shape.channels()));
    List<byte[]> pixels = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
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
            for (int d = 0; d < leaf.reader().maxDoc() && pixels.size() < limit; d++) {
              if (live != null && !live.get(d)) {
                continue;
              }
              Document doc = stored.document(d, fields);
              try {
                pixels.add(preprocessor.toPixels(decoder.decode(ImageDocuments.imageBytes(doc))));
              } catch (RejectedInputException e) {
                throw new IOException(
                    "stored image " + doc.get(IndexFields.ID) + ": " + e.describe(), e);
              }
              IndexableField label = doc.getField(IndexFields.LABEL);
              labels.add(label == null ? NO_LABEL : label.numericValue().intValue());
            }
          }
        }
      }
    }
    if (pixels.isEmpty()) {
      throw new IOException("no stored images in " + layout.versionDir(version));
    }
    return new LabelledImages(
        shape,
        pixels.toArray(byte[][]::new),
        labels.stream().mapToInt(Integer::intValue).toArray());
  }
}
