/**
 * Standing similarity queries: a {@link io.pixelstream.core.watch.Watch} is an image and a
 * condition (a score threshold, or "among the N closest seen since the watch was made") that every
 * newly embedded image is matched against; a match becomes a {@link
 * io.pixelstream.core.watch.MatchEvent}. {@link io.pixelstream.core.watch.StandingWatches} holds
 * the watches of a stream and matches images against them, with the watches embedded by the same
 * model version as the image, so a score never compares two models. {@link
 * io.pixelstream.core.watch.WatchTopicFormat} is the JSON of the two Kafka topics (watches, keyed
 * by watch id on a compacted topic; match events). Scores are the index's: a match scores what a
 * search for the watch image would show for that image. Imports no framework (Flink, Kafka, HTTP).
 */
package io.pixelstream.core.watch;
