// @module-tag browser
import fc from "fast-check";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { redirectValues } from "../../../test-support/redirect-values.js";
import { launchBrowser, submitSignIn } from "./support/browser";
import { demoUsers, testServers } from "./support/context";
import { ifStarted } from "../../../test-support/hooks.js";

const { webUrl } = testServers();
const origin = new URL(webUrl).origin;
const seed = Number(process.env.REDIRECT_SEED ?? Date.now() % 2 ** 31);
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await ifStarted(browser)?.close();
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

// Values that only become `//host` once dot segments are removed, and generated ones.
it.each([
  "/.//evil.example/x",
  "/a/..//evil.example",
  "/%2e//evil.example",
  ...fc.sample(redirectValues(origin), { numRuns: 6, seed }),
])(
  `A4 the login form's redirect after sign-in, callbackUrl=%j, stays on the app (seed ${seed})`,
  async (callbackUrl) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).origin !== origin) elsewhere.push(request.url());
    });
    const loginUrl = `${webUrl}/login?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    await page.goto(loginUrl);
    await submitSignIn(page, demoUsers.bob.username, demoUsers.bob.password);
    await page.waitForURL((url) => url.href !== loginUrl);
    await page.waitForLoadState("networkidle");
    expect(elsewhere).toEqual([]);
    expect(new URL(page.url()).origin).toBe(origin);
    await context.close();
  },
);
