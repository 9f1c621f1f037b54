package io.pixelstream.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One layer of the encoder, as written in the manifest's {@code architecture} list. The same list
 * builds the DJL block for inference and, in the trainer, the DL4J graph, so both frameworks agree
 * on one description of the network. Every layer with weights has a {@link #name()} that prefixes
 * its arrays in {@code encoder.npz} ({@code <name>.weight}, {@code <name>.bias}, ...).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Layer.Conv2d.class, name = "conv2d"),
  @JsonSubTypes.Type(value = Layer.BatchNorm2d.class, name = "batchnorm2d"),
  @JsonSubTypes.Type(value = Layer.Relu.class, name = "relu"),
  @JsonSubTypes.Type(value = Layer.MaxPool2d.class, name = "maxpool2d"),
  @JsonSubTypes.Type(value = Layer.Flatten.class, name = "flatten"),
  @JsonSubTypes.Type(value = Layer.Linear.class, name = "linear"),
  @JsonSubTypes.Type(value = Layer.L2Normalize.class, name = "l2normalize")
})
public sealed interface Layer {

  /** The prefix of this layer's arrays in the weights file. */
  String name();

  /** 2-D convolution; weights OIHW {@code [outChannels, inChannels, kernel, kernel]}, bias. */
  record Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding)
      implements Layer {}

  /** Batch normalisation over channels; gamma, beta, running_mean, running_var (not log-std). */
  record BatchNorm2d(String name, int channels, double eps) implements Layer {}

  /** Rectified linear unit. */
  record Relu(String name) implements Layer {}

  /** Max pooling with a square window. */
  record MaxPool2d(String name, int kernel, int stride) implements Layer {}

  /** Flattens NCHW to N x (C*H*W) in C order, as PyTorch does. */
  record Flatten(String name) implements Layer {}

  /** Fully connected layer; weight {@code [outFeatures, inFeatures]}, bias. */
  record Linear(String name, int inFeatures, int outFeatures) implements Layer {}

  /**
   * Scales a flat vector to unit Euclidean length: {@code x / max(||x||, eps)}. As the last layer
   * it makes Euclidean ranking equal cosine ranking and k-means cluster by direction.
   */
  record L2Normalize(String name, double eps) implements Layer {}
}
