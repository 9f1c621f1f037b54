package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1: its {@code BaseMKLDNNHelper} looks up oneDNN support
 * reflectively as {@code org.nd4j.nativeblas.Nd4jCpu$Environment.isUseMKLDNN()}, a class that
 * release moved (to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}) and renamed ({@code
 * isUseONEDNN()}). Without it every oneDNN layer helper stays off and training is ~6x slower. This
 * class only forwards to the new location.
 */
public final class Nd4jCpu {

  private Nd4jCpu() {}

  /** Forwards to the relocated native environment. */
  public static final class Environment {
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    public boolean isUseMKLDNN() {
      return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
    }
  }
}
