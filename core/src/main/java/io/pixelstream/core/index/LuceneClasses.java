package io.pixelstream.core.index;

/**
 * Works around a class-initialisation deadlock in Lucene 9.12 (apache/lucene#12419; fixed upstream
 * after 9.12.3 by apache/lucene#15864). {@code IndexWriter}, {@code ConcurrentMergeScheduler},
 * {@code SegmentReader} and {@code FilterIndexInput} register with Lucene's internal {@code
 * TestSecrets} in their static initialisers, and {@code TestSecrets}' initialiser initialises all
 * four. Two threads that first touch two of them at the same moment, such as the ingestion job
 * opening a shard writer while the query API opens a reader in one JVM (the local stack, the
 * benchmarks), can each hold one class's initialisation lock while waiting for the other's: both
 * hang for good (seen in the soak). Initialising {@code TestSecrets} first, from every entry point
 * that leads to Lucene's index classes ({@code ShardWriter}, {@code LiveIndex}), gives every thread
 * the same order.
 */
public final class LuceneClasses {

  static {
    try {
      Class.forName(
          "org.apache.lucene.internal.tests.TestSecrets",
          true,
          LuceneClasses.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      // a Lucene without the class has nothing to work around
    }
  }

  private LuceneClasses() {}

  /** Initialises Lucene's index classes in the one safe order; cheap after the first call. */
  public static void initialize() {
    // the static initialiser above runs once, and a concurrent caller waits for it
  }
}
