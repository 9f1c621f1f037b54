package io.pixelstream.trainer.model;

import io.pixelstream.core.model.EncoderSpec;

/**
 * The autoencoder to train.
 *
 * @param encoder the encoder (shared with inference: the exported artifact uses the same layers)
 * @param numClasses classes of the supervision head; 0 trains the vanilla autoencoder
 * @param classWeight weight of the classification loss against the reconstruction loss
 * @param turnWeight vanilla only: weight of a label-free head that tells which of four quarter
 *     turns each training image was given (the reconstruction target turned with it); 0 = no head
 * @param contrastWeight vanilla only: weight of a label-free contrastive loss on the embedding
 *     ({@link ContrastiveLoss}) between two augmented views of each training image; 0 = none
 * @param learningRate Adam's learning rate at the first epoch
 * @param learningRateDecay factor applied to the learning rate after every epoch (1 = constant)
 * @param weightDecay decoupled weight decay on the weights (not biases), scaled by the learning
 *     rate as in AdamW; 0 = none
 * @param dropout probability of dropping each input of the bottleneck (the flattened conv features)
 *     while training; 0 = none; inference never drops
 * @param init how the conv and dense weights start
 * @param seed seed of the weight initialisation
 */
public record AutoencoderConfig(
    EncoderSpec encoder,
    int numClasses,
    double classWeight,
    double turnWeight,
    double contrastWeight,
    double learningRate,
    double learningRateDecay,
    double weightDecay,
    double dropout,
    Init init,
    long seed) {

  /** How the weights of the conv and dense layers are drawn; biases start at 0. */
  public enum Init {
    /** He et al.: normal with variance {@code 2 / fanIn} (DL4J's {@code RELU}). */
    HE_NORMAL,
    /**
     * Uniform in {@code ±1 / sqrt(fanIn)}: a third of He's variance, PyTorch's default for conv and
     * linear layers. Both variants cluster better from it (docs/benchmarks.md); the trainer's CLI
     * default.
     */
    FAN_IN_UNIFORM
  }

  public AutoencoderConfig {
    if (numClasses < 0 || numClasses == 1) {
      throw new IllegalArgumentException(
          "numClasses must be 0 (vanilla) or >= 2, got " + numClasses);
    }
    if (!(classWeight > 0)) {
      throw new IllegalArgumentException("classWeight must be > 0, got " + classWeight);
    }
    if (!(turnWeight >= 0)) {
      throw new IllegalArgumentException("turnWeight must be >= 0, got " + turnWeight);
    }
    if (turnWeight > 0 && numClasses > 0) {
      throw new IllegalArgumentException(
          "turnWeight is for the vanilla autoencoder (numClasses 0), got " + numClasses);
    }
    if (turnWeight > 0 && encoder.input().height() != encoder.input().width()) {
      throw new IllegalArgumentException("turnWeight needs square images, got " + encoder.input());
    }
    if (!(contrastWeight >= 0)) {
      throw new IllegalArgumentException("contrastWeight must be >= 0, got " + contrastWeight);
    }
    if (contrastWeight > 0 && numClasses > 0) {
      throw new IllegalArgumentException(
          "contrastWeight is for the vanilla autoencoder (numClasses 0), got " + numClasses);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
      throw new IllegalArgumentException(
          "learningRateDecay must be in (0, 1], got " + learningRateDecay);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new IllegalArgumentException("weightDecay must be in [0, 1), got " + weightDecay);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (init == null) {
      throw new IllegalArgumentException("init must not be null");
    }
    int factor = 1 << encoder.widths().length;
    if (encoder.input().height() % factor != 0 || encoder.input().width() % factor != 0) {
      throw new IllegalArgumentException(
          "input "
              + encoder.input().height()
              + "x"
              + encoder.input().width()
              + " must be divisible by 2^blocks = "
              + factor
              + " for the decoder to mirror it");
    }
  }

  public boolean supervised() {
    return numClasses > 0;
  }

  /** Whether the graph has the quarter-turn head. */
  public boolean turnHead() {
    return turnWeight > 0;
  }

  /** Whether training batches hold two views of each image, compared by {@link ContrastiveLoss}. */
  public boolean contrastive() {
    return contrastWeight > 0;
  }
}
