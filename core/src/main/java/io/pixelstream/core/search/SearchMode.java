package io.pixelstream.core.search;

import java.util.Locale;

/** How {@link VectorSearch} ranks; see there. */
public enum SearchMode {
  HNSW,
  CLUSTER,
  EXACT;

  /** The mode named {@code name} (any case). */
  public static SearchMode parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "mode must be one of hnsw, cluster, exact; got '" + name + "'");
    }
  }
}
