// @module-tag browser
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { launchBrowser, submitSignIn } from "./support/browser";
import { demoUsers, testServers } from "./support/context";

/**
 * The README's screenshot (docs/screenshot.png) comes from this test: the real app, signed in
 * as alice, on /articles against the reference API. It only runs when asked
 * (`npm run screenshot -w apps/web`), so `npm test` never rewrites a tracked file.
 */
const { webUrl } = testServers();
const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const screenshotPath = path.join(repoRoot, "docs", "screenshot.png");

let browser: Browser;

describe.runIf(process.env.UPDATE_SCREENSHOT === "1")("docs screenshot", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
  });

  it("signs alice in and photographs the articles page for the README", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    try {
      const page = await context.newPage();
      await page.goto(`${webUrl}/articles`);
      await page.waitForURL(/\/login\?callbackUrl=/);
      await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
      await page.waitForURL(`${webUrl}/articles`);
      await page.getByTestId("article-row").first().waitFor();
      mkdirSync(path.dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath });
    } finally {
      await context.close();
    }
  });
});
