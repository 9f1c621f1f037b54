/**
 * The model artifact format ({@code manifest.json} + {@code encoder.npz} or a TorchScript/ONNX
 * file; see {@code schemas/model-artifact.md}): reading with full checks, writing, shape arithmetic
 * over the layer list, and a deterministic random-init model for a pipeline with no trained model
 * yet. Plain data and checks: imports no engine (DJL), no index and no framework.
 */
package io.pixelstream.core.model;
