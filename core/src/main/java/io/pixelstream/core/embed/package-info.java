/**
 * Runs a model artifact's encoder with DJL's PyTorch engine. The network is rebuilt from the
 * manifest's layer list and the weights copied in, so the same artifact serves the ingestion job,
 * the query API and the trainer's parity test. One {@link io.pixelstream.core.embed.ImageEncoder}
 * per thread; each call's arrays live in a per-call native memory scope.
 */
package io.pixelstream.core.embed;
