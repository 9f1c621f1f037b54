package io.pixelstream.trainer.model;

import io.pixelstream.core.model.EncoderSpec;
import io.pixelstream.core.model.InputShape;
import io.pixelstream.core.model.Layer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Builds the convolutional autoencoder as a DL4J graph. The encoder is translated layer by layer
 * from the manifest's layer list ({@link io.pixelstream.core.model.EncoderSpec#layers()}), with the
 * same vertex names, so exporting it is a 1:1 copy; the decoder mirrors it (dense, then per block
 * upsampling + conv); the optional head (classes, or the vanilla variant's quarter turns) is a
 * softmax on the embedding; the vanilla variant's optional contrastive loss reads the embedding
 * too.
 */
public final class AutoencoderGraph {

  /** Vertex names of the graph's input and outputs. */
  public static final String INPUT = "input";

  public static final String EMBEDDING = EncoderSpec.EMBEDDING;
  public static final String RECONSTRUCTION = "reconstruction";
  public static final String CLASSES = "classes";
  public static final String TURNS = "turns";
  public static final String CONTRAST = "contrast";

  /** The temperature of {@link ContrastiveLoss} (SimCLR's 0.5, which the probe used). */
  public static final double CONTRAST_TEMPERATURE = 0.5;

  /** Classes of the quarter-turn head: 0 to 3 quarter turns. */
  public static final int TURN_CLASSES = 4;

  /** Factor between a normalised embedding and the classification head's input. */
  public static final double HEAD_SCALE = 16;

  private AutoencoderGraph() {}

  /** A new, initialised graph. */
  public static ComputationGraph build(AutoencoderConfig config) {
    Dl4jRuntime.configure();
    InputShape in = config.encoder().input();
    List<Layer> layers = config.encoder().layers();
    ComputationGraphConfiguration.GraphBuilder g =
        new NeuralNetConfiguration.Builder()
            .seed(config.seed())
            .updater(
                new Adam(
                    new ExponentialSchedule(
                        ScheduleType.EPOCH, config.learningRate(), config.learningRateDecay())))
            .weightInit(
                switch (config.init()) {
                  case HE_NORMAL -> WeightInit.RELU;
                  case FAN_IN_UNIFORM -> WeightInit.UNIFORM; // U(±1/sqrt(fanIn)) in DL4J
                })
            .convolutionMode(ConvolutionMode.Same)
            .graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(
                InputType.convolutional(in.height(), in.width(), in.channels(), CNN2DFormat.NCHW));

    String previous = INPUT;
    for (Layer layer : layers) {
      if (layer instanceof Layer.Conv2d c) {
        checkSamePadding(c);
        g.addLayer(
            c.name(),
            decayed(new ConvolutionLayer.Builder(c.kernel(), c.kernel()), config)
                .stride(c.stride(), c.stride())
                .nOut(c.outChannels())
                .activation(Activation.IDENTITY)
                .build(),
            previous);
      } else if (layer instanceof Layer.BatchNorm2d b) {
        g.addLayer(
            b.name(),
            new BatchNormalization.Builder().useLogStd(false).eps(b.eps()).build(),
            previous);
      } else if (layer instanceof Layer.Relu r) {
        g.addLayer(
            r.name(), new ActivationLayer.Builder().activation(Activation.RELU).build(), previous);
      } else if (layer instanceof Layer.MaxPool2d p) {
        g.addLayer(
            p.name(),
            new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(p.kernel(), p.kernel())
                .stride(p.stride(), p.stride())
                .build(),
            previous);
      } else if (layer instanceof Layer.Flatten) {
        continue; // DL4J inserts the CNN-to-dense flatten (C order, as PyTorch) before the dense
        // layer
      } else if (layer instanceof Layer.Linear l) {
        g.addLayer(
            l.name(),
            withDropout(decayed(new DenseLayer.Builder(), config), config)
                .nOut(l.outFeatures())
                .activation(Activation.IDENTITY)
                .build(),
            previous);
      } else if (layer instanceof Layer.L2Normalize l2) {
        g.addVertex(l2.name(), new L2NormalizeVertex(new int[] {1}, l2.eps()), previous);
      } else {
        throw new IllegalArgumentException("no DL4J translation for " + layer);
      }
      previous = layer.name();
    }
    if (!previous.equals(EncoderSpec.EMBEDDING)) {
      throw new IllegalArgumentException("the encoder's last layer must be named " + EMBEDDING);
    }
    addDecoder(g, config);
    List<String> outputs = new ArrayList<>(List.of(RECONSTRUCTION));
    if (config.supervised()) {
      addHead(g, config, CLASSES, config.numClasses(), config.classWeight());
      outputs.add(CLASSES);
    } else if (config.turnHead()) {
      addHead(g, config, TURNS, TURN_CLASSES, config.turnWeight());
      outputs.add(TURNS);
    }
    if (config.contrastive()) {
      g.addLayer(
          CONTRAST, new ContrastiveLoss(config.contrastWeight(), CONTRAST_TEMPERATURE), EMBEDDING);
      outputs.add(CONTRAST);
    }
    g.setOutputs(outputs.toArray(String[]::new));
    ComputationGraph graph = new ComputationGraph(g.build());
    graph.init();
    return graph;
  }

  /** A softmax output on the embedding: {@code classes} classes, its loss times {@code weight}. */
  private static void addHead(
      ComputationGraphConfiguration.GraphBuilder g,
      AutoencoderConfig config,
      String name,
      int classes,
      double weight) {
    float[] weights = new float[classes];
    java.util.Arrays.fill(weights, (float) weight);
    String headInput = EMBEDDING;
    if (config.encoder().normalized()) {
      // Softmax on a unit vector: logits are bounded by the weights' norm, so scale them up
      // (as normalised-softmax classifiers do) instead of waiting for the weights to grow.
      headInput = name + "_scale";
      g.addVertex(headInput, new ScaleVertex(HEAD_SCALE), EMBEDDING);
    }
    g.addLayer(
        name,
        decayed(new OutputLayer.Builder(new LossMCXENT(Nd4j.create(weights))), config)
            .nOut(classes)
            .activation(Activation.SOFTMAX)
            .build(),
        headInput);
  }

  private static void addDecoder(
      ComputationGraphConfiguration.GraphBuilder g, AutoencoderConfig config) {
    InputShape in = config.encoder().input();
    int[] widths = config.encoder().widths();
    int blocks = widths.length;
    int h = in.height() >> blocks;
    int w = in.width() >> blocks;
    int channels = widths[blocks - 1];
    g.addLayer(
        "dec_dense",
        decayed(new DenseLayer.Builder(), config)
            .nOut(channels * h * w)
            .activation(Activation.RELU)
            .build(),
        EMBEDDING);
    String previous = "dec_dense";
    for (int b = blocks - 1; b >= 0; b--) {
      String up = "dec_up" + (b + 1);
      g.addLayer(up, new Upsampling2D.Builder(2).build(), previous);
      if (b == blocks - 1) {
        g.inputPreProcessor(up, new FeedForwardToCnnPreProcessor(h, w, channels));
      }
      int out = b == 0 ? in.channels() : widths[b - 1];
      String conv = "dec_conv" + (b + 1);
      g.addLayer(
          conv,
          decayed(new ConvolutionLayer.Builder(3, 3), config)
              .nOut(out)
              .activation(b == 0 ? Activation.IDENTITY : Activation.RELU)
              .build(),
          up);
      previous = conv;
    }
    // CnnLossLayer sums the per-position loss over H x W; weighting each channel by 1/(H*W) makes
    // the reconstruction term the mean squared error per pixel, so --class-weight compares the
    // cross-entropy with a per-pixel error whatever the image size.
    float[] perPixel = new float[in.channels()];
    java.util.Arrays.fill(perPixel, 1f / (in.height() * in.width()));
    g.addLayer(
        RECONSTRUCTION,
        new CnnLossLayer.Builder(new LossMSE(Nd4j.create(perPixel)))
            .activation(Activation.IDENTITY)
            .build(),
        previous);
  }

  /**
   * Adds the config's weight decay to one layer's weights. Set per layer: the graph-wide setting
   * reaches each layer twice in DL4J 1.0.0-M2.1 (added when the layer is added and again when the
   * graph is built), doubling the decay.
   */
  private static <T extends BaseLayer.Builder<T>> T decayed(T layer, AutoencoderConfig config) {
    if (config.weightDecay() > 0) {
      layer.weightDecay(config.weightDecay());
    }
    return layer;
  }

  /**
   * Drops the bottleneck's inputs while training, as a CNN classifier drops before its dense layer.
   */
  private static DenseLayer.Builder withDropout(
      DenseLayer.Builder layer, AutoencoderConfig config) {
    if (config.dropout() > 0) {
      layer.dropOut(1 - config.dropout()); // DL4J takes the probability of keeping
    }
    return layer;
  }

  private static void checkSamePadding(Layer.Conv2d c) {
    if (c.stride() != 1 || c.kernel() % 2 == 0 || c.padding() != (c.kernel() - 1) / 2) {
      throw new IllegalArgumentException(
          "layer '"
              + c.name()
              + "': the DL4J trainer supports stride-1 odd kernels with"
              + " padding (k-1)/2 (ConvolutionMode.Same)");
    }
  }
}
