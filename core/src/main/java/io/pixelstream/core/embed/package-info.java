/**
 * Runs a model artifact's encoder. {@link io.pixelstream.core.embed.ImageEncoder#open} switches on
 * the manifest's {@link io.pixelstream.core.model.EncoderFormat}: {@code LAYERS} rebuilds the
 * manifest's layer list as a DJL block and copies the weights in; {@code TORCHSCRIPT} and {@code
 * ONNX} load the artifact's model file through DJL's {@code Criteria} (PyTorch engine, or ONNX
 * Runtime) and run the manifest's layers, if any, on its output. The same artifact serves the
 * ingestion job, the query API and the trainer. {@link io.pixelstream.core.embed.ModelFileProbe}
 * checks a TorchScript or ONNX file before it is imported. A new kind is a class implementing
 * {@code ImageEncoder}, a constant in {@code EncoderFormat} (the compiler then points at its arms
 * in {@code ImageEncoder.open} and {@code ModelArtifacts}) and its entry in {@code
 * schemas/model-manifest.schema.json}. One encoder per thread ({@link
 * io.pixelstream.core.embed.EncoderPool} for many); each call's arrays live in a per-call native
 * memory scope. Imports no index and no framework (Flink, Kafka, HTTP).
 */
package io.pixelstream.core.embed;
