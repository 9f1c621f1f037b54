package io.pixelstream.core.ingest;

/** An input that is refused, with a {@link RejectReason} and a message a person can act on. */
public final class RejectedInputException extends Exception {

  private final RejectReason reason;

  public RejectedInputException(RejectReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RejectedInputException(RejectReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }

  /** {@code "<REASON>: <message>"}, the form written to the dead-letter {@code error} header. */
  public String describe() {
    return reason + ": " + getMessage();
  }
}
