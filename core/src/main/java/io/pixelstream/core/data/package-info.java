/**
 * Labelled image sets read from disk: Fashion-MNIST IDX files, the CIFAR-10 binary version and
 * folders of images ({@link io.pixelstream.core.data.DatasetSpec} picks one by name), for training,
 * evaluation and the demo producer. Imports no framework and no index.
 */
package io.pixelstream.core.data;
