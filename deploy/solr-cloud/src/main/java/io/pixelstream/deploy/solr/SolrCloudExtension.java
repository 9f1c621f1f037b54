package io.pixelstream.deploy.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a real {@link SolrCloud} (ZooKeeper and two nodes) for a test class,
 * on free ports in a temporary folder that is removed afterwards.
 *
 * <pre>{@code
 * @RegisterExtension static final SolrCloudExtension SOLR = new SolrCloudExtension();
 * ... SOLR.cloud().zkHost() ...
 * }</pre>
 */
public final class SolrCloudExtension implements BeforeAllCallback, AfterAllCallback {

  private Path dir;
  private SolrCloud cloud;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("solr-cloud-");
    cloud = SolrCloud.builder().dataDir(dir).nodes(2).build();
    cloud.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (cloud != null) {
        cloud.stop();
      }
    } finally {
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  public SolrCloud cloud() {
    return cloud;
  }
}
