// @module-tag browser
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, submitSignIn } from "./support/browser";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  type Server,
  newSecret,
  startApi,
  startWeb,
} from "./support/refresh-servers";
import { ifStarted } from "../../../test-support/hooks.js";

/** Own servers: a 3 s access-token lifetime makes "shortly after expiry" observable. */
let api: ApiServer;
let web: Server;
let browser: Browser;

beforeAll(async () => {
  api = await startApi({ accessTokenTtl: 3 });
  web = await startWeb({ apiUrl: api.url, secret: newSecret() });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await ifStarted(browser)?.close();
  await ifStarted(web)?.stop();
  await ifStarted(api)?.stop();
});

it("reads the session again shortly after the access token expires", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${web.url}/login?callbackUrl=%2Faccount`);
  await submitSignIn(page, demoUsers.bob.username, demoUsers.bob.password);
  await page.waitForURL(`${web.url}/account`);
  const { accessTokenExpiresAt } = await page.evaluate(async () => {
    const response = await fetch("/api/auth/session");
    return (await response.json()) as { accessTokenExpiresAt: number };
  });

  // The provider re-reads the session 5 s after expiry; nothing else (focus, polling) runs here.
  const refetch = await page.waitForRequest(
    (request) => request.url().endsWith("/api/auth/session") && Date.now() >= accessTokenExpiresAt,
    { timeout: Math.max(0, accessTokenExpiresAt - Date.now()) + 10_000 },
  );
  const delay = Date.now() - accessTokenExpiresAt;
  expect(delay).toBeGreaterThanOrEqual(4_000);
  expect(delay).toBeLessThan(9_000);
  const body = (await (await refetch.response())?.text()) ?? "";
  expect(body).toContain('"username":"bob"');
  expect(body).not.toMatch(/"(accessToken|refreshToken)"/);
  await context.close();
});
