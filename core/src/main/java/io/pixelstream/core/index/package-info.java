/**
 * The Lucene index backend's storage: one Lucene index per shard under {@code
 * <root>/<model-version>/shard-<n>}, the serving alias, the one place that maps an image to a
 * Lucene document, and the backfill that copies a served version into a new one (also into another
 * shard count). Imports no model runtime and no framework (Flink, Kafka, HTTP).
 *
 * <p>Vectors are searched with Lucene's HNSW graph (hierarchical navigable small world): each
 * vector is a node linked to up to {@link io.pixelstream.core.index.HnswOptions#maxConn() maxConn}
 * near neighbours on each layer; insertion explores {@link
 * io.pixelstream.core.index.HnswOptions#beamWidth() beamWidth} candidates to pick them. Search
 * descends the layers greedily and explores a candidate list on the bottom layer, so recall rises
 * with both parameters while insert cost rises with {@code beamWidth} and memory with {@code
 * maxConn}. Our defaults are M 16 and beam width 50, half Lucene's beam: the graph is built at each
 * insertion and again at each merge, most of the job's indexing CPU.
 *
 * <p>Writers ({@link io.pixelstream.core.index.ShardWriter}) upsert by id and make changes visible
 * only on commit, so readers never see a half-written state and a writer that crashes loses only
 * what it had not committed, which the stream replays. A publish is a commit without fsyncs
 * (visible at once, kept through a crash of the process); a durable commit fsyncs what no earlier
 * commit did. {@link io.pixelstream.core.index.DurableCommits} keeps the last durable commit beside
 * the newest one and returns a shard to it when a restart of the machine may have lost the rest.
 */
package io.pixelstream.core.index;
