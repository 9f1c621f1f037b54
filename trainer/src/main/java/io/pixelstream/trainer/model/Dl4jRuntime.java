package io.pixelstream.trainer.model;

import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Process-wide DL4J settings, applied once before ND4J starts: oneDNN layer helpers on (with the
 * {@link org.nd4j.nativeblas.Nd4jCpu} shim), JavaCPP's native cache in the project folder, and
 * ND4J's periodic GC so native memory (freed only when Java objects are collected) stays bounded.
 */
public final class Dl4jRuntime {

  private static boolean configured;

  private Dl4jRuntime() {}

  /** Idempotent; call before the first DL4J or ND4J use. */
  public static synchronized void configure() {
    if (configured) {
      return;
    }
    System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "false");
    if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
      System.setProperty(
          "org.bytedeco.javacpp.cachedir",
          Path.of(".cache", "javacpp").toAbsolutePath().toString());
    }
    Nd4j.getMemoryManager().togglePeriodicGc(true);
    Nd4j.getMemoryManager().setAutoGcWindow(5000);
    configured = true;
  }
}
