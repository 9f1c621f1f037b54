/**
 * Training the autoencoder with DL4J: the loop with early stopping, augmentation, the vanilla
 * variant's quarter-turn task, progress output and the fitted normalisation.
 */
package io.pixelstream.trainer.train;
