/**
 * The DL4J autoencoder: its configuration, the computation graph (conv encoder, bottleneck
 * embedding, decoder, optional classification head), export to the framework-neutral artifact and
 * the DL4J runtime settings. The only package besides {@code train} that imports DL4J.
 */
package io.pixelstream.trainer.model;
