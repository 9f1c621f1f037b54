/**
 * The trainer's command line: {@link io.pixelstream.trainer.cli.TrainerCli} parses and dispatches
 * ({@code train}, {@code evaluate}, {@code promote}, {@code rollback}, {@code history}, {@code
 * schedule}); a training run is {@link io.pixelstream.trainer.cli.TrainingRun}. Must not import
 * Flink, Kafka or the query API.
 */
package io.pixelstream.trainer.cli;
