package io.pixelstream.solr;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Solr call until it succeeds: an unreachable node, a shard without a leader or any other
 * server-side failure is retried with backoff (100 ms doubling to 5 s), logged once per outage and
 * again every minute it lasts; a request Solr refuses as bad (4xx) is not retried but thrown, since
 * sending it again cannot help. Never drops the call.
 */
final class SolrRetry {

  private static final Logger LOG = LoggerFactory.getLogger(SolrRetry.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  /** A call to Solr. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws SolrServerException, IOException;
  }

  private SolrRetry() {}

  private static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param what what the call does, for the log
   * @throws IOException when Solr refuses the request as bad, or the thread is interrupted
   */
  static <T> T until(String what, Call<T> call) throws IOException {
    long backoff = 100;
    long failingSince = 0;
    long nextLog = 0;
    while (true) {
      Exception failure;
      try {
        T result = call.run();
        if (failingSince != 0) {
          LOG.info(
              "{}: Solr answers again after {} ms",
              what,
              System.currentTimeMillis() - failingSince);
        }
        return result;
      } catch (SolrException e) {
        if (e.code() >= 400 && e.code() < 500) {
          throw new IOException(what + ": Solr refused the request: " + e.getMessage(), e);
        }
        failure = e;
      } catch (SolrServerException | IOException | RuntimeException e) {
        if (Thread.currentThread().isInterrupted() || interrupted(e)) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException(what + ": interrupted");
        }
        failure = e;
      }
      long now = System.currentTimeMillis();
      if (failingSince == 0) {
        failingSince = now;
      }
      if (now >= nextLog) {
        LOG.warn(
            "{}: Solr unavailable for {} ms, retrying until it answers: {}",
            what,
            now - failingSince,
            failure.toString());
        nextLog = now + 60_000;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(what + ": interrupted while Solr was unavailable");
      }
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }
}
