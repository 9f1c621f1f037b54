package io.pixelstream.core.data;

import io.pixelstream.core.image.ImageDecoder;
import io.pixelstream.core.image.ImageLimits;
import io.pixelstream.core.image.ImagePreprocessor;
import io.pixelstream.core.ingest.RejectedInputException;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Normalization;
import io.pixelstream.core.model.ResizeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a folder of PNG/JPEG images with one sub-folder per class ({@code root/<class>/<file>}).
 * Classes are numbered by sorted folder name; images are resized and converted to {@code shape}
 * exactly as the ingestion job does. An undecodable file is an error that names it.
 */
public final class ImageFolderReader {

  private ImageFolderReader() {}

  /** The class names, sorted; label i is the i-th name. */
  public static List<String> classes(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "image folder missing");
    }
    try (Stream<Path> dirs = Files.list(root)) {
      List<String> names =
          dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
      if (names.isEmpty()) {
        throw new IOException(root + " has no class sub-folders (expected root/<class>/<image>)");
      }
      return names;
    }
  }

  /** Up to {@code limit} images, class by class in sorted order, files sorted by name. */
  public static LabelledImages read(Path root, InputShape shape, int limit) throws IOException {
    return read(root, shape, ResizeMode.STRETCH, limit);
  }

  /** {@link #read(Path, InputShape, int)}, resized as {@code resize} says. */
  public static LabelledImages read(Path root, InputShape shape, ResizeMode resize, int limit)
      throws IOException {
    List<String> classes = classes(root);
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(shape, Normalization.unit(shape.channels()), resize);
    List<byte[]> pixels = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < classes.size() && pixels.size() < limit; c++) {
      List<Path> files;
      try (Stream<Path> s = Files.list(root.resolve(classes.get(c)))) {
        files = s.filter(ImageFolderReader::isImage).sorted().toList();
      }
      for (Path f : files) {
        if (pixels.size() >= limit) {
          break;
        }
        try {
          pixels.add(preprocessor.toPixels(decoder.decode(Files.readAllBytes(f))));
        } catch (RejectedInputException e) {
          throw new IOException(f + ": " + e.describe(), e);
        }
        labels.add(c);
      }
    }
    return new LabelledImages(
        shape,
        pixels.toArray(byte[][]::new),
        labels.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }
}
