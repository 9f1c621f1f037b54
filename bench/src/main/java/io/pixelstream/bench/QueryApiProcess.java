package io.pixelstream.bench;

import io.pixelstream.core.io.ProcessMemory;
import io.pixelstream.deploy.kafka.ServerProcess;
import io.pixelstream.query.QueryApiMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The query API in a JVM of its own, as deployed, so that its resident memory can be read apart
 * from the job's: this JVM's classpath and flags (DJL offline, the module openings), a heap of its
 * own.
 */
final class QueryApiProcess implements AutoCloseable {

  private final ServerProcess server;
  private final int port;

  private QueryApiProcess(ServerProcess server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts {@code query-api --model-dir model --index-root index} plus {@code extraArgs} on a free
   * port and waits until it answers.
   */
  static QueryApiProcess start(
      Path model, Path index, Path dir, String heap, List<String> extraArgs)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> jvmArgs = ChildJvmOptions.inherited(false);
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--model-dir",
            model.toString(),
            "--index-root",
            index.toString(),
            "--port",
            Integer.toString(port)));
    args.addAll(extraArgs);
    ServerProcess server =
        new ServerProcess(
            "query API",
            dir,
            dir.resolve("query-api.log"),
            heap,
            jvmArgs,
            System.getProperty("java.class.path"),
            QueryApiMain.class.getName(),
            args);
    server.start("query-api: model", Duration.ofMinutes(3), port);
    return new QueryApiProcess(server, port);
  }

  int port() {
    return port;
  }

  long residentBytes() {
    return ProcessMemory.residentBytes(server.pid());
  }

  @Override
  public void close() throws InterruptedException {
    server.stop();
  }
}
