package io.pixelstream.solr;

import java.util.Optional;

/**
 * One writer's committed progress copying the served version into a new one, kept as an alias
 * property: {@code <fromVersion> <generation> <copied> <done> <cursor>}.
 *
 * @param fromVersion the version copied from
 * @param generation its serving period when the copy began: a copy of another period is stale
 * @param cursor Solr's cursor mark after the last page copied
 * @param copied images copied so far
 * @param done true once the cursor reached the end
 */
record CopyState(String fromVersion, long generation, String cursor, long copied, boolean done) {

  /** The alias property of writer {@code writer}'s copy into {@code toVersion}. */
  static String key(String toVersion, int writer) {
    return prefix(toVersion) + writer;
  }

  /** What the alias properties of every writer's copy into {@code toVersion} start with. */
  static String prefix(String toVersion) {
    return "copy." + toVersion + ".";
  }

  String format() {
    return fromVersion + " " + generation + " " + copied + " " + done + " " + cursor;
  }

  /** The state in {@code value}; empty for none or an unreadable one (the copy starts over). */
  static Optional<CopyState> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String[] f = value.split(" ", 5);
    if (f.length != 5) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new CopyState(
              f[0], Long.parseLong(f[1]), f[4], Long.parseLong(f[2]), Boolean.parseBoolean(f[3])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
