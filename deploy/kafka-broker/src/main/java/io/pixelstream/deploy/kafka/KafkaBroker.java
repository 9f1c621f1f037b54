package io.pixelstream.deploy.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) run as a child JVM
 * from the Maven artifacts whose classpath this module records at build time. Its Kafka version
 * stays apart from the clients of whoever starts it.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.builder().dataDir(tmp).build()) {
 *   broker.start();
 *   String bootstrap = broker.bootstrapServers(); // 127.0.0.1:<free port>
 * }
 * }</pre>
 *
 * {@link #stop()} then {@link #start()} restarts it on the same ports and data.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
  private static final String READY_LINE = "Kafka Server started";

  private final Path dataDir;
  private final int port;
  private final int controllerPort;

  /** How long a start may take before it fails with the broker's log. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String heap;
  private final Map<String, String> overrides;
  private final TlsStores tls;
  private final Map<String, String> scramUsers;
  private final int saslSslPort;
  private ServerProcess process;

  private KafkaBroker(Builder b) {
    this.dataDir = b.dataDir.toAbsolutePath();
    Map<String, Integer> previous = previousPorts(dataDir.resolve("server.properties"));
    this.port = b.port != 0 ? b.port : previous.getOrDefault("client", ServerProcess.freePort());
    this.controllerPort = previous.getOrDefault("controller", ServerProcess.freePort());
    this.heap = b.heap;
    this.overrides = Map.copyOf(b.overrides);
    this.tls = b.tls;
    this.scramUsers = Map.copyOf(b.scramUsers);
    this.saslSslPort = tls == null ? 0 : ServerProcess.freePort();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}, for clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /**
   * {@code 127.0.0.1:<port>} of the SASL_SSL listener (SCRAM-SHA-512 over TLS), for clients with
   * {@code security.protocol=SASL_SSL}.
   *
   * @throws IllegalStateException when the broker was built without {@link Builder#saslSsl}
   */
  public String saslSslBootstrapServers() {
    if (tls == null) {
      throw new IllegalStateException("this broker has no SASL_SSL listener (Builder.saslSsl)");
    }
    return "127.0.0.1:" + saslSslPort;
  }

  /** The broker's log file (stdout and stderr of the child JVM). */
  public Path logFile() {
    return dataDir.resolve("broker.log");
  }

  public boolean isRunning() {
    return process != null && process.isRunning();
  }

  /** Formats the storage on first use, starts the broker and waits until it serves. */
  public synchronized void start() throws IOException, InterruptedException {
    if (isRunning()) {
      throw new IllegalStateException("broker already running on " + bootstrapServers());
    }
    Files.createDirectories(dataDir);
    Path config = writeConfig();
    String classpath = ServerProcess.recordedClasspath(KafkaBroker.class, CLASSPATH_RESOURCE);
    if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
      format(classpath, config);
    }
    process =
        new ServerProcess(
            "Kafka broker",
            dataDir,
            logFile(),
            heap,
            List.of("-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.properties")),
            classpath,
            "kafka.Kafka",
            List.of(config.toString()));
    process.start(READY_LINE, START_TIMEOUT, port, controllerPort);
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 30 s); data is kept for a later start. */
  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.stop();
    }
  }

  /**
   * Kills the broker at once (SIGKILL), as a crash would: no clean shutdown, data kept for a later
   * start, which recovers the logs. For fault tests.
   */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private Path writeConfig() throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    if (tls != null) {
      addSaslSslListener(p);
    }
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.ms", "1000");
    p.putAll(overrides);
    StringBuilder text = new StringBuilder("# written by pixelstream KafkaBroker\n");
    p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Path config = dataDir.resolve("server.properties");
    Files.writeString(config, text.toString());
    Files.writeString(
        dataDir.resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.out.ref = out",
            "appender.out.type = Console",
            "appender.out.name = out",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
            "logger.kafka.name = kafka",
            "logger.kafka.level = INFO",
            "logger.state.name = state.change.logger",
            "logger.state.level = WARN",
            ""));
    return config;
  }

  /** A SASL_SSL listener beside PLAINTEXT (which the broker itself and admin tools keep). */
  private void addSaslSslListener(Map<String, String> p) {
    p.put("listeners", p.get("listeners") + ",SASL_SSL://127.0.0.1:" + saslSslPort);
    p.put(
        "advertised.listeners",
        p.get("advertised.listeners") + ",SASL_SSL://127.0.0.1:" + saslSslPort);
    p.put(
        "listener.security.protocol.map",
        p.get("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    String listener = "listener.name.sasl_ssl.";
    p.put(
        listener + "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put(listener + "ssl.keystore.location", tls.keyStore().toString());
    p.put(listener + "ssl.keystore.password", tls.password());
    p.put(listener + "ssl.keystore.type", "PKCS12");
    p.put(listener + "ssl.key.password", tls.password());
  }

  private void format(String classpath, Path config) throws IOException, InterruptedException {
    byte[] uuid = new byte[16];
    new SecureRandom().nextBytes(uuid);
    // an id that starts with '-' (1 in 64) is read by the tool as an option: start with A-f
    uuid[0] &= 0x7f;
    String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                clusterId,
                "-c",
                config.toString()));
    // SCRAM credentials live in the metadata log: a KRaft broker gets its first ones at format
    scramUsers.forEach(
        (user, password) ->
            command.addAll(
                List.of(
                    "--add-scram", "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]")));
    Process format = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(format.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (format.waitFor() != 0) {
      throw new IOException("formatting Kafka storage failed:\n" + out);
    }
  }

  /** The ports a broker on this data folder used before, so a restart keeps its addresses. */
  private static Map<String, Integer> previousPorts(Path config) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    if (!Files.exists(config)) {
      return ports;
    }
    try {
      java.util.Properties p = new java.util.Properties();
      try (var in = Files.newBufferedReader(config)) {
        p.load(in);
      }
      String voters = p.getProperty("controller.quorum.voters", "");
      String advertised = p.getProperty("advertised.listeners", "");
      if (voters.contains(":")) {
        ports.put("controller", Integer.parseInt(voters.substring(voters.lastIndexOf(':') + 1)));
      }
      if (advertised.contains(":")) {
        ports.put(
            "client", Integer.parseInt(advertised.substring(advertised.lastIndexOf(':') + 1)));
      }
    } catch (IOException | NumberFormatException e) {
      // an unreadable old config: pick new ports
    }
    return ports;
  }

  /**
   * Runs a broker until the JVM is stopped (Ctrl-C).
   *
   * <pre>java -cp kafka-broker.jar io.pixelstream.deploy.kafka.KafkaBroker [dataDir] [port]</pre>
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "data/kafka");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
    KafkaBroker broker = builder().dataDir(dir).port(port).build();
    broker.start();
    System.out.println(
        "Kafka broker ready at " + broker.bootstrapServers() + ", log " + broker.logFile());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    broker.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    Thread.currentThread().join();
  }

  /** Options for a {@link KafkaBroker}. */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private String heap = "512m";
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private TlsStores tls;
    private final Map<String, String> scramUsers = new LinkedHashMap<>();

    /**
     * Adds a SASL_SSL listener ({@link KafkaBroker#saslSslBootstrapServers()}): TLS with {@code
     * tls}'s key store, SCRAM-SHA-512 with these users (name to password), created when the storage
     * is formatted.
     */
    public Builder saslSsl(TlsStores tls, Map<String, String> users) {
      if (users.isEmpty()) {
        throw new IllegalArgumentException("users must name at least one SCRAM user");
      }
      this.tls = tls;
      this.scramUsers.putAll(users);
      return this;
    }

    /** Folder for the broker's config, log and data (required). */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Client port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The child JVM's -Xmx, e.g. {@code 512m}. */
    public Builder heap(String heap) {
      this.heap = heap;
      return this;
    }

    /** A broker setting that overrides the defaults (e.g. {@code message.max.bytes}). */
    public Builder property(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    public KafkaBroker build() {
      if (dataDir == null) {
        throw new IllegalStateException("dataDir is required");
      }
      return new KafkaBroker(this);
    }
  }
}
