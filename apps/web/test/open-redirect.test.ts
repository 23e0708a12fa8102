// @module-tag browser
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, submitSignIn } from "./support/browser";
import { demoUsers, testServers } from "./support/context";

const { webUrl } = testServers();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it.each(["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"])(
  "A4 after sign-in, callbackUrl=%s lands on /",
  async (callbackUrl) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${webUrl}/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await submitSignIn(page, demoUsers.bob.username, demoUsers.bob.password);
    await page.waitForURL(`${webUrl}/`);
    expect(new URL(page.url()).origin).toBe(webUrl);
    expect(await page.getByRole("link", { name: "Account", exact: true }).count()).toBe(1);
    await context.close();
  },
);
