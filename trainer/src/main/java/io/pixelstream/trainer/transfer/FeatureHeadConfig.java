package io.pixelstream.trainer.transfer;

/**
 * The dense autoencoder trained on a backbone's features.
 *
 * @param featureDim length of the backbone's feature vector
 * @param hidden width of the hidden layer on both sides of the bottleneck
 * @param embeddingDim size of the bottleneck, the embedding
 * @param normalized whether the embedding is L2-normalised
 * @param numClasses classes of the supervision head; 0 trains the vanilla autoencoder
 * @param classWeight weight of the classification loss against the reconstruction loss
 * @param learningRate Adam's learning rate
 * @param seed seed of the weight initialisation
 */
public record FeatureHeadConfig(
    int featureDim,
    int hidden,
    int embeddingDim,
    boolean normalized,
    int numClasses,
    double classWeight,
    double learningRate,
    long seed) {

  public FeatureHeadConfig {
    if (featureDim < 1 || hidden < 1 || embeddingDim < 1) {
      throw new IllegalArgumentException(
          "featureDim, hidden and embeddingDim must be >= 1, got "
              + featureDim
              + ", "
              + hidden
              + ", "
              + embeddingDim);
    }
    if (numClasses < 0 || numClasses == 1) {
      throw new IllegalArgumentException(
          "numClasses must be 0 (vanilla) or >= 2, got " + numClasses);
    }
    if (!(classWeight > 0) || !(learningRate > 0)) {
      throw new IllegalArgumentException("classWeight and learningRate must be > 0");
    }
  }

  public boolean supervised() {
    return numClasses > 0;
  }
}
