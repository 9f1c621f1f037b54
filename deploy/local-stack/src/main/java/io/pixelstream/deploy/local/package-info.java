/**
 * The local stack's launcher ({@code deploy/local/run.sh}): a broker, the ingestion job on a local
 * MiniCluster following the model registry, and a demo producer streaming a dataset at a set rate.
 */
package io.pixelstream.deploy.local;
