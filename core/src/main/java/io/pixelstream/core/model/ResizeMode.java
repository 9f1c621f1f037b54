package io.pixelstream.core.model;

/**
 * How an image of another size becomes the encoder's input size, the manifest's {@code resize}.
 * Both scale bilinearly; they differ only for an image whose aspect ratio is not the input's.
 */
public enum ResizeMode {
  /** The whole image, scaled to the input's height and width: other aspect ratios are distorted. */
  STRETCH,
  /**
   * The largest centred region with the input's aspect ratio, scaled to the input's size: what
   * ImageNet models expect (torchvision's Resize then CenterCrop); the image's borders are lost.
   */
  CENTER_CROP
}
