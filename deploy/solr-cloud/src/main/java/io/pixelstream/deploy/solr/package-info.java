/**
 * A real SolrCloud for the local stack, the benchmarks and the tests: {@link
 * io.pixelstream.deploy.solr.SolrCloud} runs one ZooKeeper and N Solr nodes (Solr's own Jetty
 * runner, {@link io.pixelstream.deploy.solr.SolrNodeMain}) as child JVMs from Solr's Maven
 * artifacts, whose classpath never reaches the caller's. The SolrCloud index backend creates its
 * collections and uploads its config sets itself.
 */
package io.pixelstream.deploy.solr;
