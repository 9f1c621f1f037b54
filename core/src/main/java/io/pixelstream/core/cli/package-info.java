/**
 * Small command-line programs of core ({@code InitModelCommand}, {@code MergeIndexCommand}) and
 * {@link io.pixelstream.core.cli.CliArgs}, the one flag parser every module's main uses. Imports no
 * framework (Flink, Kafka, HTTP).
 */
package io.pixelstream.core.cli;
