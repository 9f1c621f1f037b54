package io.pixelstream.core.backend;

/**
 * Which {@link IndexBackend} a job or a query API runs on ({@code index.backend}): the Lucene
 * shards on a local or shared disk, or a SolrCloud.
 */
public enum IndexBackendKind {
  /** Lucene shards under {@code index.root}, written by the job's own sink: the default. */
  EMBEDDED,
  /** One SolrCloud collection per model version behind an alias ({@code index.solr}). */
  SOLR
}
