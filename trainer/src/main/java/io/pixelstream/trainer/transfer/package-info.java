/**
 * Transfer learning: a frozen backbone (a TorchScript or ONNX file, run by DJL) turns images into
 * feature vectors; a small dense autoencoder trained by DL4J on those features (with or without the
 * classification head, as the conv autoencoder) gives the embedding. {@link
 * io.pixelstream.trainer.transfer.FeatureAutoencoder} builds the DL4J graph and exports its encoder
 * as the layers that follow the backbone's file in the artifact, so DJL runs backbone + head as one
 * encoder everywhere. Features are standardised per dimension for training; the standardisation is
 * folded into the first layer's weights on export.
 */
package io.pixelstream.trainer.transfer;
