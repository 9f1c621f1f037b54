/**
 * The model artifact format ({@code manifest.json} + {@code encoder.npz}; see {@code
 * schemas/model-artifact.md}): reading with full checks, writing, shape arithmetic over the layer
 * list, and a deterministic random-init model for a pipeline with no trained model yet.
 */
package io.pixelstream.core.model;
