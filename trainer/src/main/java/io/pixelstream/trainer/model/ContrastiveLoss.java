package io.pixelstream.trainer.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimCLR's contrastive loss (NT-Xent) on the embedding, a training-only output without parameters.
 * A batch holds two augmented views of each image; the labels say which row is each row's partner
 * (+1) and mark the row itself (-1), see {@link #labels}. Each row's embedding is L2-normalised;
 * the loss is the cross-entropy of telling the partner from every other row of the batch by cosine
 * similarity over {@code temperature}, times {@code weight}. The other images are the negatives.
 */
public final class ContrastiveLoss extends SameDiffOutputLayer {

  private static final double SELF_MASK = 1e4;

  private double weight;
  private double temperature;

  /** For DL4J's configuration cloning and JSON. */
  public ContrastiveLoss() {}

  public ContrastiveLoss(double weight, double temperature) {
    if (!(weight > 0)) {
      throw new IllegalArgumentException("weight must be > 0, got " + weight);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    this.weight = weight;
    this.temperature = temperature;
  }

  /**
   * The labels of a batch of {@code 2 * pairs} rows where row {@code i} and row {@code i + pairs}
   * are two views of one image.
   */
  public static INDArray labels(int pairs) {
    if (pairs < 1) {
      throw new IllegalArgumentException("pairs must be >= 1, got " + pairs);
    }
    INDArray y = Nd4j.zeros(2 * pairs, 2 * pairs);
    for (int i = 0; i < 2 * pairs; i++) {
      y.putScalar(i, i, -1);
      y.putScalar(i, (i + pairs) % (2 * pairs), 1);
    }
    return y;
  }

  @Override
  public SDVariable defineLayer(
      SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params) {
    SDVariable norm = sd.math().sqrt(sd.sum(input.mul(input), true, 1).add(1e-12));
    SDVariable z = sd.identity("normalised", input.div(norm));
    SDVariable self = sd.nn().relu(labels.neg(), 0);
    SDVariable partner = sd.nn().relu(labels, 0);
    SDVariable logits = sd.mmul(z, sd.transpose(z)).div(temperature).sub(self.mul(SELF_MASK));
    // cosines over the temperature are bounded, so the log-sum-exp needs no shift
    SDVariable logProb = logits.sub(sd.math().log(sd.sum(sd.math().exp(logits), true, 1)));
    // summed over the rows, as DL4J's own losses are: the score and the updater divide by them
    return sd.sum(partner.mul(logProb)).neg().mul(weight);
  }

  @Override
  public String activationsVertexName() {
    return "normalised";
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    // none: the loss reads the embedding only
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    // none
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return inputType;
  }

  public double getWeight() {
    return weight;
  }

  public void setWeight(double weight) {
    this.weight = weight;
  }

  public double getTemperature() {
    return temperature;
  }

  public void setTemperature(double temperature) {
    this.temperature = temperature;
  }
}
