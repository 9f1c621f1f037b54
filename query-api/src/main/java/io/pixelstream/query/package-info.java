/**
 * The HTTP query API on the JDK server: {@link io.pixelstream.query.QueryRoutes} (routes, checks,
 * JSON errors) over {@link io.pixelstream.query.QueryService} (answers from one served model
 * version; speaks no HTTP), {@link io.pixelstream.query.QueryOptions}, metrics and the web page.
 * Reads the index only through core's {@code IndexBackend} and {@code PinnedVersion}: must not
 * import Lucene, Flink or the trainer.
 */
package io.pixelstream.query;
