/**
 * Quality of embeddings: clustering (NMI, Rand and adjusted Rand index over several k-means seeds)
 * and retrieval (precision@k, mAP@k). Pure functions over arrays; imports no model runtime and no
 * index.
 */
package io.pixelstream.core.eval;
