package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.pixelstream.core.ingest.KafkaClientSettings;
import io.pixelstream.core.watch.MatchEvent;
import io.pixelstream.core.watch.WatchTopicFormat;
import io.pixelstream.deploy.kafka.ImageProducer;
import io.pixelstream.deploy.kafka.KafkaBrokerExtension;
import io.pixelstream.deploy.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's watches in headless Chromium, on a real broker: "Watch this" on a result creates a
 * watch of that image, a match event on the match topic shows up in the live list, and the watch's
 * delete button removes it. The screenshot lands in {@code target/watch-page.png}.
 */
class WatchPageITCase {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir static Path work;
  private static QueryFixtures fixtures;
  private static QueryService service;
  private static QueryServer server;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    KafkaTopics.ensure(
        KAFKA.bootstrapServers(),
        Map.of("images.watches", 1, "images.matches", 1),
        Duration.ofSeconds(30));
    fixtures = QueryFixtures.build(work, 200);
    QueryOptions options =
        fixtures
            .options()
            .withWatches(
                new WatchOptions(
                    KAFKA.bootstrapServers(),
                    KafkaClientSettings.none(),
                    "images.watches",
                    "images.matches",
                    10));
    service = QueryService.open(options);
    server = QueryServer.start(options, service);
    browser = HeadlessChromium.start(work.resolve("chrome-profile"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  void watchThisCreatesAWatchWhoseMatchesArriveLiveAndDeleteRemovesIt() throws Exception {
    browser.get("http://127.0.0.1:" + server.port() + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("watching")));

    Path upload = work.resolve("query-7.png");
    Files.write(upload, fixtures.png(7));
    browser.findElement(By.id("file")).sendKeys(upload.toString());
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#results .result"), 10));
    WebElement first = browser.findElement(By.cssSelector("#results .result:first-child"));
    assertThat(first.getAttribute("data-id")).isEqualTo(QueryFixtures.id(7));
    first.findElement(By.cssSelector("button.watch-this")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#watches .watch"), 1));
    WebElement watch = browser.findElement(By.cssSelector("#watches .watch"));
    String watchId = watch.getAttribute("data-id");
    assertThat(watch.getText()).contains(QueryFixtures.id(7)).contains("top 10");

    MatchEvent event =
        new MatchEvent(
            watchId, QueryFixtures.id(12), 0.97, "q-model", 1_000, 1_100, 1_250, "images", 0, 42);
    try (ImageProducer producer = new ImageProducer(KAFKA.bootstrapServers(), "images.matches")) {
      producer.sendRaw(
          watchId.getBytes(StandardCharsets.UTF_8),
          WatchTopicFormat.write(event),
          new RecordHeaders());
    }
    By match = By.cssSelector("#matches .match[data-watch='" + watchId + "']");
    wait.until(ExpectedConditions.numberOfElementsToBe(match, 1));
    assertThat(browser.findElement(match).getText())
        .contains(QueryFixtures.id(12))
        .contains("score 0.970")
        .contains("250 ms after it was produced");
    Path shot = Path.of("target", "watch-page.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));

    watch.findElement(By.tagName("button")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#watches .watch"), 0));
    assertThat(
            new String(
                new QueryFixtures.Http(server.port()).get("/v1/watches").body(),
                StandardCharsets.UTF_8))
        .contains("\"count\":0");
    assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
  }
}
