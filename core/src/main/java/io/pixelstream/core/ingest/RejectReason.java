package io.pixelstream.core.ingest;

/**
 * Why an input record or upload was refused. The code is what the dead-letter topic's {@code error}
 * header starts with, so consumers can route on it.
 */
public enum RejectReason {
  /** The key is missing or not 1-256 characters of {@code [A-Za-z0-9._:/-]}. */
  BAD_ID,
  /** The {@code label} header is not a decimal int in range. */
  BAD_LABEL,
  /** The value is larger than the configured byte limit. */
  TOO_LARGE,
  /** The value is neither PNG nor JPEG. */
  UNSUPPORTED_FORMAT,
  /** The bytes claim to be PNG or JPEG but do not decode (corrupt or truncated). */
  UNDECODABLE_IMAGE,
  /** Width or height outside the configured bounds (a decompression bomb lands here). */
  WRONG_SIZE
}
