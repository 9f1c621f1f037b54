/**
 * Evaluates a model artifact on a held-out set through core's model runtime (the path ingestion and
 * queries use), plus the DL4J-only figures (reconstruction error, head accuracy).
 */
package io.pixelstream.trainer.eval;
