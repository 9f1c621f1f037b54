/**
 * The input topic's rules: ids, labels, source headers ({@link
 * io.pixelstream.core.ingest.InputRules}) and the reasons a record is refused ({@link
 * io.pixelstream.core.ingest.RejectReason}), which the job writes to the dead-letter topic, and the
 * Kafka client settings a program is given ({@link
 * io.pixelstream.core.ingest.KafkaClientSettings}). Imports no framework (Flink, Kafka).
 */
package io.pixelstream.core.ingest;
