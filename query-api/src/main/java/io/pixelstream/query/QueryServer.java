package io.pixelstream.query;

import com.sun.net.httpserver.HttpServer;
import io.pixelstream.core.io.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on the JDK's built-in server: binds the port, runs the request threads and registers
 * {@link QueryRoutes}; the work is in {@link QueryService}.
 *
 * <pre>{@code
 * try (QueryService service = QueryService.open(options);
 *     QueryServer server = QueryServer.start(options, service)) {
 *   System.out.println("listening on " + server.port());
 * }
 * }</pre>
 */
public final class QueryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, the body waits
    // for the client's delayed ACK (~40 ms per request). Read once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final WatchRoutes watches;

  private QueryServer(HttpServer server, ThreadPoolExecutor executor, WatchRoutes watches) {
    this.server = server;
    this.executor = executor;
    this.watches = watches;
  }

  /** Binds {@code options.port()} and serves {@code service} until closed. */
  public static QueryServer start(QueryOptions options, QueryService service) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(options.access().host(), options.port()), 128);
    // A bounded queue keeps memory bounded; past access().maxQueued() waiting requests the
    // handlers answer 429 at once, so the queue drains before it is full.
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            options.threads(),
            options.threads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(ApiAccess.QUEUE_CAPACITY),
            DaemonThreads.named("query-http"));
    server.setExecutor(executor);
    WatchRoutes watches = options.watches() == null ? null : WatchRoutes.open(service, options);
    QueryRoutes.routing(
        server, service, new QueryMetrics(service), options, executor.getQueue()::size, watches);
    server.start();
    return new QueryServer(server, executor, watches);
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address and port the server is bound to. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (watches != null) {
      try {
        watches.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
