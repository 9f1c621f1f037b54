package io.pixelstream.core.model;

import java.io.IOException;

/**
 * A model artifact folder that cannot be used: missing files, bad JSON, wrong shapes, bad checksum.
 */
public class InvalidArtifactException extends IOException {
  public InvalidArtifactException(String message) {
    super(message);
  }

  public InvalidArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
