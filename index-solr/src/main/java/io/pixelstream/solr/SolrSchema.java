package io.pixelstream.solr;

import io.pixelstream.core.index.HnswOptions;
import io.pixelstream.core.index.IndexFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The config set of a version's collection: the same fields as the embedded shards ({@link
 * IndexFields}), the vector as a dense vector field (Lucene HNSW) with the manifest's dimension and
 * similarity and the backend's graph parameters, the image bytes stored. Updates are logged (the
 * transaction log makes an acknowledged update durable), hard commits run every 15 s without
 * opening a searcher, and visibility comes from soft commits ({@code commitWithin}).
 *
 * @param dimension the vector's length
 * @param similarity the manifest's similarity: EUCLIDEAN, DOT_PRODUCT or COSINE
 */
record SolrSchema(int dimension, String similarity, HnswOptions hnsw) {

  SolrSchema {
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException("dimension must be in 1..4096, got " + dimension);
    }
    similarity = similarity.toUpperCase(Locale.ROOT);
    if (!similarity.equals("EUCLIDEAN")
        && !similarity.equals("DOT_PRODUCT")
        && !similarity.equals("COSINE")) {
      throw new IllegalArgumentException(
          "similarity must be EUCLIDEAN, DOT_PRODUCT or COSINE, got " + similarity);
    }
  }

  /** The config set's name: one per distinct schema, shared by the versions that have it. */
  String configName(String alias) {
    return String.format(
        Locale.ROOT,
        "%s-d%d-%s-m%d-b%d",
        alias,
        dimension,
        similarity.toLowerCase(Locale.ROOT),
        hnsw.maxConn(),
        hnsw.beamWidth());
  }

  /** The config set as the zip file Solr's config set API takes. */
  byte[] zip() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("schema.xml"));
      zip.write(schemaXml().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("solrconfig.xml"));
      zip.write(SOLRCONFIG.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  String schemaXml() {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <schema name="pixelstream" version="1.6">
          <uniqueKey>%s</uniqueKey>
          <fieldType name="string" class="solr.StrField" docValues="true"/>
          <fieldType name="int" class="solr.IntPointField" docValues="true"/>
          <fieldType name="long" class="solr.LongPointField" docValues="true"/>
          <fieldType name="binary" class="solr.BinaryField"/>
          <fieldType name="vector" class="solr.DenseVectorField" vectorDimension="%d"
              similarityFunction="%s" knnAlgorithm="hnsw" hnswMaxConnections="%d" hnswBeamWidth="%d"/>
          <field name="%s" type="string" indexed="true" stored="true" required="true"/>
          <field name="_version_" type="long" indexed="false" stored="false"/>
          <field name="%s" type="vector" indexed="true" stored="true" required="true"/>
          <field name="%s" type="int" indexed="true" stored="true" required="true"/>
          <field name="%s" type="int" indexed="true" stored="true"/>
          <field name="%s" type="string" indexed="true" stored="true"/>
          <field name="%s" type="string" indexed="true" stored="true"/>
          <field name="%s" type="long" indexed="true" stored="true"/>
          <field name="%s" type="long" indexed="true" stored="true"/>
          <field name="%s" type="binary" indexed="false" stored="true"/>
          <field name="%s" type="string" indexed="true" stored="true"/>
        </schema>
        """
        .formatted(
            IndexFields.ID,
            dimension,
            similarity.toLowerCase(Locale.ROOT),
            hnsw.maxConn(),
            hnsw.beamWidth(),
            IndexFields.ID,
            IndexFields.VECTOR,
            IndexFields.CLUSTER,
            IndexFields.LABEL,
            IndexFields.SOURCE,
            IndexFields.MODEL_VERSION,
            IndexFields.INGEST_TIME,
            IndexFields.EVENT_TIME,
            IndexFields.IMAGE,
            IndexFields.DUPLICATE_OF);
  }

  private static final String SOLRCONFIG =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <config>
        <luceneMatchVersion>9.12</luceneMatchVersion>
        <dataDir>${solr.data.dir:}</dataDir>
        <directoryFactory name="DirectoryFactory"
            class="${solr.directoryFactory:solr.NRTCachingDirectoryFactory}"/>
        <codecFactory class="solr.SchemaCodecFactory"/>
        <schemaFactory class="ClassicIndexSchemaFactory"/>
        <indexConfig>
          <ramBufferSizeMB>64</ramBufferSizeMB>
        </indexConfig>
        <updateHandler class="solr.DirectUpdateHandler2">
          <updateLog>
            <str name="dir">${solr.ulog.dir:}</str>
          </updateLog>
          <autoCommit>
            <maxTime>${solr.autoCommit.maxTime:15000}</maxTime>
            <openSearcher>false</openSearcher>
          </autoCommit>
          <commitWithin>
            <softCommit>true</softCommit>
          </commitWithin>
        </updateHandler>
        <query>
          <maxBooleanClauses>1024</maxBooleanClauses>
          <useColdSearcher>true</useColdSearcher>
        </query>
        <requestHandler name="/select" class="solr.SearchHandler">
          <lst name="defaults">
            <str name="echoParams">none</str>
          </lst>
          <!-- the query component only: no facets, highlighting, stats or debug to run through -->
          <arr name="components">
            <str>query</str>
          </arr>
        </requestHandler>
      </config>
      """;
}
