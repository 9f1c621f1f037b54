/** The trainer's Prometheus metrics: quality per version, promotion decisions, the last run. */
package io.pixelstream.trainer.metrics;
