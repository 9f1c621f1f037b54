package io.pixelstream.trainer.train;

import io.pixelstream.core.model.Normalization;

/**
 * How long and how to train.
 *
 * @param epochs maximum epochs
 * @param batchSize images per step
 * @param maxBatchesPerEpoch cap on steps per epoch (0 = the whole training split); for smoke runs
 * @param validationFraction share of the training data held out for validation / early stopping
 * @param patience epochs without a better validation figure ({@code stopOn}) before stopping
 * @param augment whether training batches get random horizontal flips and small shifts
 * @param maxShift with {@code augment}, the largest shift in pixels each way
 * @param perImage per-image scaling of the inputs; it becomes part of the artifact's normalisation,
 *     so ingestion and queries scale every image the same way
 * @param stopOn which validation figure picks the best epoch and stops training
 * @param seed seed of the split, the batch order and the augmentation
 */
public record TrainingSettings(
    int epochs,
    int batchSize,
    int maxBatchesPerEpoch,
    double validationFraction,
    int patience,
    boolean augment,
    int maxShift,
    Normalization.PerImage perImage,
    StopOn stopOn,
    long seed) {

  /** The validation figure early stopping watches. */
  public enum StopOn {
    /** The training loss on the validation split (lower is better). */
    LOSS,
    /**
     * NMI of k-means (k = classes) on the validation split's embeddings: the figure promotion is
     * gated on; needs labels.
     */
    NMI
  }

  public TrainingSettings {
    if (epochs < 1 || batchSize < 1 || maxBatchesPerEpoch < 0 || patience < 1 || maxShift < 0) {
      throw new IllegalArgumentException(
          "epochs, batchSize and patience must be >= 1, maxBatches and maxShift >= 0");
    }
    if (!(validationFraction > 0 && validationFraction < 0.5)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 0.5), got " + validationFraction);
    }
    if (perImage == null || stopOn == null) {
      throw new IllegalArgumentException("perImage and stopOn must not be null");
    }
  }
}
