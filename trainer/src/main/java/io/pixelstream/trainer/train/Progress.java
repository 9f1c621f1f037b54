package io.pixelstream.trainer.train;

import java.io.PrintStream;

/**
 * Training progress: a one-line bar redrawn in place on a terminal, plain log lines (every 10% of
 * an epoch) otherwise.
 */
final class Progress {

  private final PrintStream out;
  private final boolean terminal;
  private final int epochs;
  private final int batchesPerEpoch;
  private final long start = System.nanoTime();
  private long images;
  private int lastLogged = -1;

  Progress(PrintStream out, boolean terminal, int epochs, int batchesPerEpoch) {
    this.out = out;
    this.terminal = terminal;
    this.epochs = epochs;
    this.batchesPerEpoch = batchesPerEpoch;
  }

  void step(int epoch, int batch, int batchImages, double loss) {
    images += batchImages;
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = images / Math.max(seconds, 1e-9);
    long done = (long) epoch * batchesPerEpoch + batch + 1;
    long total = (long) epochs * batchesPerEpoch;
    double eta = seconds / done * (total - done);
    String line =
        String.format(
            "epoch %d/%d batch %d/%d  %.0f img/s  loss %.4f  ETA %s",
            epoch + 1, epochs, batch + 1, batchesPerEpoch, rate, loss, duration(eta));
    if (terminal) {
      int width = 24;
      int filled = (int) (width * (batch + 1) / (double) batchesPerEpoch);
      out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + line + "   ");
      if (batch + 1 == batchesPerEpoch) {
        out.println();
      }
    } else {
      int tenth = (int) (10L * (batch + 1) / batchesPerEpoch);
      if (tenth != lastLogged || batch + 1 == batchesPerEpoch) {
        lastLogged = tenth;
        out.println(line);
      }
    }
  }

  double imagesPerSecond() {
    return images / Math.max((System.nanoTime() - start) / 1e9, 1e-9);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }
}
