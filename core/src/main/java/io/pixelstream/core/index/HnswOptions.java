package io.pixelstream.core.index;

/**
 * HNSW graph parameters for the vector field (see Lucene's {@code Lucene99HnswVectorsFormat}).
 *
 * @param maxConn neighbours kept per node (Lucene's M); more improves recall, costs memory and time
 * @param beamWidth candidates considered while inserting; more improves graph quality, slows
 *     indexing
 */
public record HnswOptions(int maxConn, int beamWidth) implements java.io.Serializable {

  /** Lucene's defaults: M = 16, beam width 100. */
  public static final HnswOptions DEFAULT = new HnswOptions(16, 100);

  public HnswOptions {
    if (maxConn < 2 || maxConn > 512) {
      throw new IllegalArgumentException("maxConn must be in 2..512, got " + maxConn);
    }
    if (beamWidth < 1 || beamWidth > 3200) {
      throw new IllegalArgumentException("beamWidth must be in 1..3200, got " + beamWidth);
    }
  }
}
