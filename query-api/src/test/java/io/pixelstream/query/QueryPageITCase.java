package io.pixelstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in Debian's headless Chromium (driven by chromedriver through Selenium): upload an
 * image, see k results, click one, browse clusters. The screenshot lands in {@code
 * target/query-page.png}.
 */
class QueryPageITCase {

  @TempDir static Path work;
  private static QueryFixtures fixtures;
  private static QueryService service;
  private static QueryServer server;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    fixtures = QueryFixtures.build(work, 500);
    service = QueryService.open(fixtures.options());
    server = QueryServer.start(fixtures.options(), service);
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
  void uploadShowsTopKAndClickingAResultSearchesByIt() throws Exception {
    browser.get("http://127.0.0.1:" + server.port() + "/");
    // results are re-rendered while a wait reads them: a stale element just means "look again"
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stats"), "500 images"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#clusters .cluster"), 10));

    Path upload = work.resolve("query-42.png");
    Files.write(upload, fixtures.png(42));
    WebElement k = browser.findElement(By.id("k"));
    k.clear();
    k.sendKeys("8");
    browser.findElement(By.id("file")).sendKeys(upload.toString());
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#results .result"), 8));
    List<WebElement> results = browser.findElements(By.cssSelector("#results .result"));
    assertThat(results.get(0).getAttribute("data-id")).isEqualTo(QueryFixtures.id(42));
    assertThat(results.get(0).getText()).contains("score 1.000").contains("label");
    wait.until(
        d ->
            (Boolean)
                ((org.openqa.selenium.JavascriptExecutor) d)
                    .executeScript(
                        "return [...document.querySelectorAll('#results img')]"
                            + ".every(i => i.complete && i.naturalWidth === 28)"));
    Path shot = Path.of("target", "query-page.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    System.out.println("query page screenshot: " + shot.toAbsolutePath());

    String clicked = results.get(3).getAttribute("data-id");
    results.get(3).click();
    wait.until(
        ExpectedConditions.attributeToBe(
            By.cssSelector("#results .result:first-child"), "data-id", clicked));
    assertThat(browser.findElement(By.id("title")).getText()).contains(clicked);
    assertThat(browser.findElement(By.id("error")).getText()).isEmpty();

    Files.write(work.resolve("bad.png"), "not an image".getBytes());
    browser.findElement(By.id("file")).sendKeys(work.resolve("bad.png").toString());
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "UNSUPPORTED_FORMAT"));
  }
}
