/**
 * The SolrCloud index backend: {@link io.pixelstream.solr.SolrIndexBackend} implements {@code
 * io.pixelstream.core.backend}'s seam over an existing distributed engine. Each model version is
 * one collection ({@code <alias>_<version>}: shards, replication factor and replica types from
 * {@link io.pixelstream.solr.SolrIndexSettings}), its vector a dense vector field indexed as Lucene
 * HNSW; the collection alias {@code <alias>} names the served version. Writers send upserts and
 * deletes by id and return once Solr acknowledged them (at each publish and before each
 * checkpoint), visibility comes from Solr's soft commits ({@code commitWithin}); queries go to one
 * version's collection at a time. Choose it over the embedded Lucene shards when the index must
 * outgrow one machine or the query replicas must not share a volume.
 */
package io.pixelstream.solr;
