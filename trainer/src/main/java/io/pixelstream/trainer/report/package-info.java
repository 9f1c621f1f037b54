/**
 * The training report: a Markdown page with charts (losses, quality against the baselines,
 * projections of the embeddings), reconstructions and nearest-neighbour examples.
 */
package io.pixelstream.trainer.report;
