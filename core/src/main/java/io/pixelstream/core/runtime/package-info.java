/**
 * The model runtime ({@link io.pixelstream.core.runtime.ModelRuntime}: one model version's
 * decoding, preprocessing, encoder and centroids) and the version follower ({@link
 * io.pixelstream.core.runtime.VersionFollower}: which version to run next). Every stage that runs a
 * model builds it here. Imports no framework (Flink, Kafka, HTTP) and no index backend.
 */
package io.pixelstream.core.runtime;
