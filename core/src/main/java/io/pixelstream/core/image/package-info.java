/**
 * Image bytes to encoder input: {@link io.pixelstream.core.image.ImageDecoder} sniffs and decodes
 * PNG or JPEG within {@link io.pixelstream.core.image.ImageLimits} (refusing bombs and corrupt
 * files), {@link io.pixelstream.core.image.ImagePreprocessor} resizes and normalises. Imports no
 * model runtime, index or framework.
 */
package io.pixelstream.core.image;
