package io.pixelstream.core.ingest;

import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImagePreprocessor;

/**
 * Validates one input record (key, value, headers) and turns it into encoder input; the single
 * place where the input topic's rules are applied. Thread-safe.
 */
public final class ImagePreparer {

  private final ImageDecoder decoder;
  private final ImagePreprocessor preprocessor;

  /** Built by {@code ModelRuntime}, which pairs the decoder with its model's preprocessing. */
  public ImagePreparer(ImageDecoder decoder, ImagePreprocessor preprocessor) {
    this.decoder = decoder;
    this.preprocessor = preprocessor;
  }

  /**
   * Prepares a record with a non-null value.
   *
   * @param key the record key (image id, UTF-8)
   * @param value the image bytes
   * @param labelHeader the {@code label} header's value, or null
   * @param sourceHeader the {@code source} header's value, or null
   */
  public PreparedImage prepare(byte[] key, byte[] value, byte[] labelHeader, byte[] sourceHeader)
      throws RejectedInputException {
    String id = InputRules.imageId(key);
    Integer label = InputRules.label(labelHeader);
    float[] input = preprocessor.preprocess(decoder.decode(value));
    return new PreparedImage(id, label, InputRules.source(sourceHeader), input, value);
  }
}
