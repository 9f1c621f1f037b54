package io.pixelstream.core.index;

/**
 * HNSW graph parameters and vector storage of the vector field (see Lucene's {@code
 * Lucene99HnswVectorsFormat} and {@code Lucene99HnswScalarQuantizedVectorsFormat}).
 *
 * @param maxConn neighbours kept per node (Lucene's M); more improves recall, costs memory and time
 * @param beamWidth candidates considered while inserting; more improves graph quality, slows
 *     indexing
 * @param vectorFormat how the vectors the graph is searched over are stored
 */
public record HnswOptions(int maxConn, int beamWidth, VectorFormat vectorFormat)
    implements java.io.Serializable {

  /** How the graph's vectors are stored and compared while searching. */
  public enum VectorFormat {
    /** 4 bytes per dimension, exact distances. */
    FLOAT32,
    /**
     * Scalar-quantized to 7 bits per dimension (Lucene's "int8"), the float vectors kept beside
     * them for merges: the graph is searched over a quarter of the bytes, distances are
     * approximate.
     */
    INT8,
    /** Scalar-quantized to 4 bits per dimension, two per byte: an eighth of float32's bytes. */
    INT4
  }

  /**
   * M = 16 (Lucene's), beam width 50 (Lucene's is 100), float32 vectors. The graph is built at each
   * insertion and again at each merge; half Lucene's beam took 37-48 % less CPU for 0.004-0.009
   * less recall@10 on 200,000 of our 64-d embeddings, and at a million on 2 cores ingested 1,989
   * images/s against 1,224, recall@10 0.9618 against 0.9744 with 40 candidates (0.9734 with 60).
   * See docs/benchmarks.md, "HNSW build cost".
   */
  public static final HnswOptions DEFAULT = new HnswOptions(16, 50);

  /** Float32 vectors. */
  public HnswOptions(int maxConn, int beamWidth) {
    this(maxConn, beamWidth, VectorFormat.FLOAT32);
  }

  /** These graph parameters with vectors stored as {@code format}. */
  public HnswOptions withVectorFormat(VectorFormat format) {
    return new HnswOptions(maxConn, beamWidth, format);
  }

  public HnswOptions {
    if (maxConn < 2 || maxConn > 512) {
      throw new IllegalArgumentException("maxConn must be in 2..512, got " + maxConn);
    }
    if (beamWidth < 1 || beamWidth > 3200) {
      throw new IllegalArgumentException("beamWidth must be in 1..3200, got " + beamWidth);
    }
    if (vectorFormat == null) {
      throw new IllegalArgumentException("vectorFormat must not be null");
    }
  }
}
