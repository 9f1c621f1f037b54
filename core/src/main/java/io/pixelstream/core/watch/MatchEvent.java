package io.pixelstream.core.watch;

/**
 * An image that matched a watch (or, with watch id {@link Watch#DUPLICATE}, an image that nearly
 * copies one in the index).
 *
 * @param watchId the watch
 * @param imageId the new image
 * @param score the index's score of the image for the watch image
 * @param modelVersion the model that embedded both
 * @param eventTime the image record's Kafka timestamp, epoch ms
 * @param ingestTime when the image was embedded, epoch ms
 * @param matchTime when the match was found, epoch ms
 * @param topic the image record's topic
 * @param partition its partition
 * @param offset its offset: with the topic and partition, what makes a replayed match the same one
 * @param duplicateOf with watch id {@link Watch#DUPLICATE}: the indexed image the new one nearly
 *     copies; else null
 */
public record MatchEvent(
    String watchId,
    String imageId,
    double score,
    String modelVersion,
    long eventTime,
    long ingestTime,
    long matchTime,
    String topic,
    int partition,
    long offset,
    String duplicateOf) {

  /** A watch's match ({@code duplicateOf} null). */
  public MatchEvent(
      String watchId,
      String imageId,
      double score,
      String modelVersion,
      long eventTime,
      long ingestTime,
      long matchTime,
      String topic,
      int partition,
      long offset) {
    this(
        watchId,
        imageId,
        score,
        modelVersion,
        eventTime,
        ingestTime,
        matchTime,
        topic,
        partition,
        offset,
        null);
  }

  /** The same (watch, image record) gives the same identity, also when replayed after a restore. */
  public String identity() {
    return watchId + '|' + topic + '|' + partition + '|' + offset;
  }
}
