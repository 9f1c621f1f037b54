package io.pixelstream.core.fresh;

/**
 * An image (or a delete) as the ingestion job embedded it, before its shard publishes it: what the
 * query API needs to answer for it from memory ({@link FreshImages}).
 *
 * @param id the image id
 * @param deleted true for a tombstone (no vector, image or model version)
 * @param modelVersion the version whose encoder made {@code vector}; null for a tombstone, which
 *     hides the id in every version
 * @param shard the shard of that version the job writes the id to
 * @param source the Kafka {@code topic-partition} the record came from, as the shard's commits
 *     record their position
 * @param offset its offset there: the shard holds the record once its visible commit's position for
 *     {@code source} reaches it
 * @param eventTime the Kafka record's timestamp, epoch ms
 * @param vector the embedding
 * @param cluster the nearest centroid
 * @param label the label, or null
 * @param duplicateOf the indexed image this one nearly copies, or null
 * @param image the encoded image
 */
public record FreshImage(
    String id,
    boolean deleted,
    String modelVersion,
    int shard,
    String source,
    long offset,
    long eventTime,
    float[] vector,
    int cluster,
    Integer label,
    String duplicateOf,
    byte[] image) {

  public FreshImage {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id must not be empty");
    }
    if (source == null || source.isEmpty()) {
      throw new IllegalArgumentException("source must not be empty");
    }
    if (shard < 0) {
      throw new IllegalArgumentException("shard must be >= 0, got " + shard);
    }
    if (!deleted && !complete(modelVersion, vector, image)) {
      throw new IllegalArgumentException(
          "an image needs modelVersion, vector and image; id " + id + " lacks one");
    }
  }

  /**
   * True when an image (not a tombstone) has what a record needs: its version, vector and bytes.
   */
  public static boolean complete(String modelVersion, float[] vector, byte[] image) {
    return modelVersion != null && vector != null && image != null;
  }

  /** A tombstone for {@code id}. */
  public static FreshImage tombstone(
      String id, int shard, String source, long offset, long eventTime) {
    return new FreshImage(
        id, true, null, shard, source, offset, eventTime, null, -1, null, null, null);
  }

  /** True when this record counts for {@code version}'s searches: its image, or any tombstone. */
  boolean appliesTo(String version) {
    return deleted || modelVersion.equals(version);
  }
}
