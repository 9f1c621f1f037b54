package io.pixelstream.deploy.solr;

import io.pixelstream.deploy.kafka.ServerProcess;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real SolrCloud on this machine: one ZooKeeper and {@code nodes} Solr nodes, each a child JVM
 * run from the Maven artifacts whose classpath this module records at build time, on free loopback
 * ports that a later start on the same folder keeps. Collections are created by whoever uses it.
 *
 * <pre>{@code
 * try (SolrCloud solr = SolrCloud.builder().dataDir(tmp).nodes(2).build()) {
 *   solr.start();
 *   String zk = solr.zkHost();           // 127.0.0.1:<port>, for CloudSolrClient
 *   solr.kill(1);                        // SIGKILL node 1, as a crash would
 *   solr.start(1);                       // and back, on the same port and cores
 * }
 * }</pre>
 */
public final class SolrCloud implements AutoCloseable {

  private static final String CLASSPATH_RESOURCE = "solr-node.classpath";

  /** What ZooKeeper logs once it loaded its data and takes requests. */
  private static final String ZOOKEEPER_READY = "PrepRequestProcessor (sid:0) started";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dataDir;
  private final int zkPort;
  private final List<Integer> nodePorts;
  private final ServerProcess zookeeper;
  private final List<ServerProcess> nodes = new ArrayList<>();

  private SolrCloud(Builder b) throws IOException {
    this.dataDir = b.dataDir.toAbsolutePath();
    Files.createDirectories(dataDir);
    Properties ports = ports(dataDir.resolve("ports.properties"), b.nodes);
    this.zkPort = Integer.parseInt(ports.getProperty("zookeeper"));
    this.nodePorts = new ArrayList<>();
    for (int i = 0; i < b.nodes; i++) {
      nodePorts.add(Integer.parseInt(ports.getProperty("node" + i)));
    }
    Path log4j = dataDir.resolve("log4j2.properties");
    Files.writeString(log4j, LOG4J);
    String classpath = ServerProcess.recordedClasspath(SolrCloud.class, CLASSPATH_RESOURCE);
    String logConfig = "-Dlog4j2.configurationFile=" + log4j;
    Path zkDir = dataDir.resolve("zookeeper");
    zookeeper =
        new ServerProcess(
            "ZooKeeper",
            zkDir,
            zkDir.resolve("zookeeper.log"),
            "128m",
            List.of(
                logConfig,
                "-Dzookeeper.admin.enableServer=false",
                "-Dzookeeper.4lw.commands.whitelist=ruok"),
            classpath,
            "org.apache.zookeeper.server.ZooKeeperServerMain",
            List.of(Integer.toString(zkPort), zkDir.resolve("data").toString()));
    for (int i = 0; i < b.nodes; i++) {
      Path home = dataDir.resolve("node" + i);
      nodes.add(
          new ServerProcess(
              "Solr node " + i,
              home,
              home.resolve("solr.log"),
              b.heap,
              List.of(
                  logConfig,
                  "-Dsolr.log.dir=" + home,
                  "-Dsolr.install.dir=" + home,
                  "-Dsolr.jetty.inetaccess.includes=127.0.0.1",
                  "-Dsolr.autoSoftCommit.maxTime=-1",
                  "-Dsolr.autoCommit.maxTime=15000",
                  // a killed node loses its leaderships after this long
                  "-Dsolr.zkclienttimeout=15000"),
              classpath,
              SolrNodeMain.class.getName(),
              List.of(home.toString(), Integer.toString(nodePorts.get(i)), zkHost())));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}: the ZooKeeper that holds the cluster's state. */
  public String zkHost() {
    return "127.0.0.1:" + zkPort;
  }

  /** Each node's base URL, {@code http://127.0.0.1:<port>/solr}. */
  public List<String> nodeUrls() {
    return nodePorts.stream().map(p -> "http://127.0.0.1:" + p + "/solr").toList();
  }

  /** The admin page of node 0. */
  public String adminUrl() {
    return nodeUrls().get(0) + "/";
  }

  public int nodeCount() {
    return nodes.size();
  }

  /** Node {@code node}'s log (stdout and stderr of its JVM). */
  public Path nodeLog(int node) {
    return nodes.get(node).logFile();
  }

  /** Starts ZooKeeper, then every node, and waits until each serves. */
  public synchronized void start() throws IOException, InterruptedException {
    zookeeper.start(ZOOKEEPER_READY, START_TIMEOUT, zkPort);
    for (int i = 0; i < nodes.size(); i++) {
      start(i);
    }
  }

  /** Starts node {@code node} (again) on its port and cores, and waits until it serves. */
  public synchronized void start(int node) throws IOException, InterruptedException {
    nodes.get(node).start(SolrNodeMain.READY_LINE, START_TIMEOUT, nodePorts.get(node));
  }

  /** Kills node {@code node} at once (SIGKILL): no clean shutdown, its cores kept. */
  public synchronized void kill(int node) throws InterruptedException {
    nodes.get(node).kill();
  }

  /** Node {@code node}'s process id; -1 when it does not run. */
  public synchronized long nodePid(int node) {
    return nodes.get(node).pid();
  }

  public synchronized boolean isRunning(int node) {
    return nodes.get(node).isRunning();
  }

  /** Stops every node, then ZooKeeper; data is kept for a later start. */
  public synchronized void stop() throws InterruptedException {
    for (ServerProcess n : nodes) {
      n.stop();
    }
    zookeeper.stop();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /** The ports an earlier start on this folder used, or new free ones, recorded for the next. */
  private static Properties ports(Path file, int nodes) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader in = Files.newBufferedReader(file)) {
        p.load(in);
      }
    }
    p.putIfAbsent("zookeeper", Integer.toString(ServerProcess.freePort()));
    for (int i = 0; i < nodes; i++) {
      p.putIfAbsent("node" + i, Integer.toString(ServerProcess.freePort()));
    }
    try (Writer out = Files.newBufferedWriter(file)) {
      p.store(out, "ports of the SolrCloud in this folder");
    }
    return p;
  }

  private static final String LOG4J =
      String.join(
          "\n",
          "rootLogger.level = WARN",
          "rootLogger.appenderRef.out.ref = out",
          "appender.out.type = Console",
          "appender.out.name = out",
          "appender.out.layout.type = PatternLayout",
          "appender.out.layout.pattern = [%d] %p %m (%c)%n",
          "logger.zkready.name = org.apache.zookeeper.server.PrepRequestProcessor",
          "logger.zkready.level = INFO",
          "logger.solr.name = org.apache.solr",
          "logger.solr.level = WARN",
          "");

  /**
   * Runs a SolrCloud until the JVM is stopped (Ctrl-C).
   *
   * <pre>java -cp solr-cloud.jar io.pixelstream.deploy.solr.SolrCloud [dataDir] [nodes]</pre>
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "data/solr");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    SolrCloud solr = builder().dataDir(dir).nodes(n).build();
    solr.start();
    System.out.println(
        "SolrCloud ready: ZooKeeper "
            + solr.zkHost()
            + ", admin "
            + solr.adminUrl()
            + ", nodes "
            + solr.nodeUrls());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    solr.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    Thread.currentThread().join();
  }

  /** Options for a {@link SolrCloud}. */
  public static final class Builder {
    private Path dataDir;
    private int nodes = 2;
    private String heap = "512m";

    /** Folder for ZooKeeper's data and each node's cores and log (required). */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Solr nodes, 1..9; 2 by default. */
    public Builder nodes(int nodes) {
      if (nodes < 1 || nodes > 9) {
        throw new IllegalArgumentException("nodes must be in 1..9, got " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /** Each node's -Xmx, e.g. {@code 512m}. */
    public Builder heap(String heap) {
      this.heap = heap;
      return this;
    }

    public SolrCloud build() throws IOException {
      if (dataDir == null) {
        throw new IllegalStateException("dataDir is required");
      }
      return new SolrCloud(this);
    }
  }
}
