package io.pixelstream.deploy.kubernetes;

import java.util.List;

/**
 * Strimzi's API version ranges, as its annotations write them: {@code v1beta2}, {@code v1+}, {@code
 * v1alpha1-v1beta2}, {@code all}, or several joined by commas.
 */
final class StrimziVersions {

  /** Strimzi's versions, oldest first. */
  static final List<String> ORDER = List.of("v1alpha1", "v1beta1", "v1beta2", "v1");

  private StrimziVersions() {}

  static boolean inRange(String ranges, String version) {
    int v = rank(version);
    for (String range : ranges.split(",")) {
      String r = range.trim();
      if (r.equals("all")) {
        return true;
      }
      if (r.endsWith("+")) {
        if (v >= rank(r.substring(0, r.length() - 1))) {
          return true;
        }
      } else if (r.indexOf('-') > 0) {
        String[] ends = r.split("-", 2);
        if (v >= rank(ends[0]) && v <= rank(ends[1])) {
          return true;
        }
      } else if (v == rank(r)) {
        return true;
      }
    }
    return false;
  }

  private static int rank(String version) {
    int i = ORDER.indexOf(version);
    if (i < 0) {
      throw new IllegalArgumentException("not a Strimzi API version: " + version);
    }
    return i;
  }
}
