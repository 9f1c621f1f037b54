/**
 * A real Kafka broker (KRaft, one node) as a child JVM with its own classpath, its JUnit extension,
 * and the helpers that create topics and produce images to them. For the local stack, the tests and
 * the benchmarks; never part of the job.
 */
package io.pixelstream.deploy.kafka;
