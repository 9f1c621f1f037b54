package io.pixelstream.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;
import org.junit.jupiter.api.Test;

class SolrRetryTest {

  @Test
  void retriesAnUnavailableSolrUntilItAnswers() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String answer =
        SolrRetry.until(
            "test",
            () -> {
              int n = calls.incrementAndGet();
              if (n == 1) {
                throw new SolrServerException("connection refused");
              }
              if (n == 2) {
                throw new SolrException(
                    SolrException.ErrorCode.SERVICE_UNAVAILABLE, "No registered leader was found");
              }
              return "ok";
            });
    assertThat(answer).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aRefusedRequestIsThrownNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                SolrRetry.until(
                    "send",
                    () -> {
                      calls.incrementAndGet();
                      throw new SolrException(
                          SolrException.ErrorCode.BAD_REQUEST, "incorrect vector dimension");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("send: Solr refused the request")
        .hasMessageContaining("incorrect vector dimension");
    assertThat(calls).hasValue(1);
  }

  @Test
  void anInterruptStopsTheRetries() {
    assertThatThrownBy(
            () ->
                SolrRetry.until(
                    "send",
                    () -> {
                      throw new SolrServerException(new InterruptedException());
                    }))
        .isInstanceOf(InterruptedIOException.class);
    assertThat(Thread.interrupted()).isTrue(); // and clears it for the next test
  }
}
