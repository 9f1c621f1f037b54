package io.pixelstream.core.watch;

import java.util.PriorityQueue;

/**
 * The {@code capacity} best scores a top-N watch has matched: a new score is admitted while fewer
 * are held or when it beats the lowest, which it then replaces.
 */
final class TopScores {

  private final int capacity;
  private final PriorityQueue<Float> lowestFirst = new PriorityQueue<>();

  TopScores(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Restores the scores {@link #scores} returned, keeping the best {@code capacity}. */
  static TopScores of(int capacity, float[] scores) {
    TopScores top = new TopScores(capacity);
    for (float s : scores) {
      top.offer(s);
    }
    return top;
  }

  /** Admits {@code score} if it is among the best {@code capacity} so far; says whether it was. */
  boolean offer(float score) {
    if (lowestFirst.size() < capacity) {
      lowestFirst.add(score);
      return true;
    }
    if (score <= lowestFirst.peek()) {
      return false;
    }
    lowestFirst.poll();
    lowestFirst.add(score);
    return true;
  }

  /** Whether a score of at most {@code bound} could be admitted now. */
  boolean couldAdmit(double bound) {
    return lowestFirst.size() < capacity || bound > lowestFirst.peek();
  }

  /** The scores held, in no particular order. */
  float[] scores() {
    float[] out = new float[lowestFirst.size()];
    int i = 0;
    for (float s : lowestFirst) {
      out[i++] = s;
    }
    return out;
  }
}
