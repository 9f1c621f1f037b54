package io.pixelstream.core.index;

/**
 * One image as stored in a shard.
 *
 * @param id the image id (upsert key)
 * @param vector the embedding
 * @param cluster nearest centroid index
 * @param label the label, or null
 * @param source the source header, or null
 * @param modelVersion version of the model that made {@code vector}
 * @param ingestTime when the job indexed it, epoch ms
 * @param eventTime the input record's timestamp, epoch ms
 * @param image the original encoded image
 * @param duplicateOf the id of the indexed image this one nearly copies (found at ingest with
 *     {@code ingest.duplicate-threshold}), or null
 */
public record IndexedImage(
    String id,
    float[] vector,
    int cluster,
    Integer label,
    String source,
    String modelVersion,
    long ingestTime,
    long eventTime,
    byte[] image,
    String duplicateOf) {

  /** An image that copies none: {@code duplicateOf} null. */
  public IndexedImage(
      String id,
      float[] vector,
      int cluster,
      Integer label,
      String source,
      String modelVersion,
      long ingestTime,
      long eventTime,
      byte[] image) {
    this(id, vector, cluster, label, source, modelVersion, ingestTime, eventTime, image, null);
  }
}
