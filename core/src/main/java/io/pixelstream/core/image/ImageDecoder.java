package io.pixelstream.core.image;

import io.pixelstream.core.ingest.RejectReason;
import io.pixelstream.core.ingest.RejectedInputException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG and JPEG bytes with the JDK's ImageIO, refusing anything else. Order of checks: byte
 * size, format (magic bytes), dimensions from the header, then the pixels; a decoder warning (such
 * as a truncated JPEG that ImageIO would otherwise half-decode) is a refusal. Thread-safe.
 */
public final class ImageDecoder {

  static {
    ImageIO.setUseCache(false); // decode in memory, never through temp files
  }

  private final ImageLimits limits;

  public ImageDecoder(ImageLimits limits) {
    this.limits = limits;
  }

  /** The format of {@code bytes} by magic number, or null if neither PNG nor JPEG. */
  public static String sniffFormat(byte[] bytes) {
    if (bytes.length >= 8
        && (bytes[0] & 0xFF) == 0x89
        && bytes[1] == 'P'
        && bytes[2] == 'N'
        && bytes[3] == 'G') {
      return "png";
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xFF
        && (bytes[1] & 0xFF) == 0xD8
        && (bytes[2] & 0xFF) == 0xFF) {
      return "jpeg";
    }
    return null;
  }

  /** Decodes {@code bytes} or says why not. */
  public BufferedImage decode(byte[] bytes) throws RejectedInputException {
    if (bytes == null || bytes.length == 0) {
      throw new RejectedInputException(RejectReason.UNDECODABLE_IMAGE, "image is empty");
    }
    if (bytes.length > limits.maxBytes()) {
      throw new RejectedInputException(
          RejectReason.TOO_LARGE,
          "image is " + bytes.length + " bytes, the limit is " + limits.maxBytes());
    }
    String format = sniffFormat(bytes);
    if (format == null) {
      throw new RejectedInputException(
          RejectReason.UNSUPPORTED_FORMAT, "not a PNG or JPEG image (unknown magic bytes)");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
      if (!readers.hasNext()) {
        throw new IllegalStateException("the JDK has no ImageIO reader for " + format);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkSize(width, height);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new RejectedInputException(
              RejectReason.UNDECODABLE_IMAGE, format + " is corrupt: " + warnings.get(0));
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (RejectedInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO signals corrupt data with IIOException and, for some inputs, runtime exceptions.
      throw new RejectedInputException(
          RejectReason.UNDECODABLE_IMAGE, format + " does not decode: " + e.getMessage(), e);
    }
  }

  private void checkSize(int width, int height) throws RejectedInputException {
    if (width < limits.minSide()
        || height < limits.minSide()
        || width > limits.maxSide()
        || height > limits.maxSide()
        || (long) width * height > limits.maxPixels()) {
      throw new RejectedInputException(
          RejectReason.WRONG_SIZE,
          "image is "
              + width
              + "x"
              + height
              + "; sides must be "
              + limits.minSide()
              + ".."
              + limits.maxSide()
              + " and at most "
              + limits.maxPixels()
              + " pixels");
    }
  }
}
