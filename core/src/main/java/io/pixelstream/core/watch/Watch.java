package io.pixelstream.core.watch;

import java.util.regex.Pattern;

/**
 * A standing query: tell me when an image like {@code image} arrives.
 *
 * @param id the key on the watches topic: 1-64 characters of {@code [A-Za-z0-9._:-]}
 * @param name for people, at most 256 characters
 * @param image the encoded image (PNG or JPEG) the watch looks for; kept so that every model
 *     version can embed it
 * @param imageId the indexed image it was made from, or null for an upload
 * @param threshold match images that score at least this, or null with {@code top}
 * @param top match an image while it is among the {@code top} closest seen since the watch was made
 *     (per model version), or null with {@code threshold}
 * @param createdAt epoch ms
 */
public record Watch(
    String id,
    String name,
    byte[] image,
    String imageId,
    Double threshold,
    Integer top,
    long createdAt) {

  /** Watch ids: also the match events' watch id {@link #DUPLICATE} must not be one. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** The watch id of near-duplicate match events. */
  public static final String DUPLICATE = "duplicate";

  /** The largest {@code top}. */
  public static final int MAX_TOP = 1000;

  public Watch {
    if (id == null || !ID.matcher(id).matches() || id.equals(DUPLICATE)) {
      throw new IllegalArgumentException(
          "watch id must be 1-64 characters of [A-Za-z0-9._:-] and not '"
              + DUPLICATE
              + "', got '"
              + id
              + "'");
    }
    if (name == null || name.isBlank() || name.length() > 256) {
      throw new IllegalArgumentException("watch name must be 1-256 characters");
    }
    if (image == null || image.length == 0) {
      throw new IllegalArgumentException("watch image must not be empty");
    }
    if ((threshold == null) == (top == null)) {
      throw new IllegalArgumentException("a watch has either a threshold or a top, not both");
    }
    if (threshold != null && !(threshold >= -1e6 && threshold <= 1e6)) {
      throw new IllegalArgumentException("threshold must be a finite score, got " + threshold);
    }
    if (top != null && (top < 1 || top > MAX_TOP)) {
      throw new IllegalArgumentException("top must be in 1.." + MAX_TOP + ", got " + top);
    }
  }
}
