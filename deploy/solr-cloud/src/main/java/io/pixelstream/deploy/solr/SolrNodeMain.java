package io.pixelstream.deploy.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * The main class of one Solr node's child JVM: Solr's own Jetty runner on {@code port} under {@code
 * /solr}, its cores in {@code home}, its cluster state in ZooKeeper at {@code zkHost}. Prints
 * {@value #READY_LINE} once the node serves.
 *
 * <pre>java -cp solr-node.classpath io.pixelstream.deploy.solr.SolrNodeMain home port zkHost</pre>
 */
public final class SolrNodeMain {

  static final String READY_LINE = "pixelstream: Solr node ready";

  private SolrNodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SolrNodeMain <home> <port> <zkHost>");
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    Files.createDirectories(home);
    Path solrXml = home.resolve("solr.xml");
    if (!Files.exists(solrXml)) {
      try (var in = SolrNodeMain.class.getResourceAsStream("solr.xml")) {
        Files.copy(in, solrXml);
      }
    }
    Properties node = new Properties();
    node.setProperty("zkHost", args[2]);
    JettySolrRunner jetty =
        new JettySolrRunner(
            home.toString(), node, JettyConfig.builder().setPort(port).setContext("/solr").build());
    jetty.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    jetty.stop();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                },
                "solr-node-stop"));
    System.out.println(READY_LINE + " at " + jetty.getBaseUrl());
    Thread.currentThread().join();
  }
}
