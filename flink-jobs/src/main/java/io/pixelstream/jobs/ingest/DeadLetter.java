package io.pixelstream.jobs.ingest;

/** An input record that was refused, with the reason; written to the dead-letter topic. */
public class DeadLetter {
  public KafkaImageRecord record;

  /** {@code "<REASON>: <message>"}, see {@code RejectReason}. */
  public String error;

  public DeadLetter() {}

  public DeadLetter(KafkaImageRecord record, String error) {
    this.record = record;
    this.error = error;
  }
}
