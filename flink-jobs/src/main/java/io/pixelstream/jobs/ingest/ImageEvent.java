package io.pixelstream.jobs.ingest;

/**
 * An image (or a delete) on its way through the job: decode fills {@code input}, the embed step
 * replaces it with {@code vector} and {@code cluster}, the sink writes it. A Flink POJO.
 */
public class ImageEvent {
  public String id;

  /** True for a tombstone: the id is to be deleted. */
  public boolean deleted;

  public Integer label;
  public String source;

  /** Encoder input; cleared once embedded. */
  public float[] input;

  /** The model version whose preprocessing made {@code input}. */
  public String preparedFor;

  /** The original encoded image. */
  public byte[] image;

  public float[] vector;
  public int cluster;
  public String modelVersion;

  /** The Kafka record timestamp, epoch ms. */
  public long eventTime;

  /** When the embed step finished, epoch ms. */
  public long ingestTime;

  /** With {@code ingest.duplicate-threshold}: the indexed image this one nearly copies, or null. */
  public String duplicateOf;

  /** The score of {@link #duplicateOf} for this image. */
  public float duplicateScore;

  public String topic;
  public int partition;
  public long offset;

  public ImageEvent() {}
}
