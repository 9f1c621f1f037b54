package io.pixelstream.query;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** Starts the query API: {@code query-api --model-dir DIR [--index-root DIR] [--port 8080]}. */
public final class QueryApiMain {

  private QueryApiMain() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help")) {
      System.out.print(QueryOptions.USAGE);
      return;
    }
    QueryOptions options;
    try {
      options = QueryOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("query-api: " + e.getMessage());
      System.err.print(QueryOptions.USAGE);
      System.exit(2);
      return;
    }
    QueryService service = QueryService.open(options);
    QueryServer server = QueryServer.start(options, service);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  try {
                    service.close();
                  } catch (Exception e) {
                    System.err.println("query-api: closing: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.printf(
        "query-api: model %s, %s documents, http://localhost:%d/%n",
        service.modelVersion(), service.documents(), server.port());
    stopped.await();
  }
}
