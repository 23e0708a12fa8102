// @module-tag browser
// @module-tag redis
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifStarted } from "../../../test-support/hooks.js";
import { launchBrowser, sessionCookies, submitSignIn } from "./support/browser";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  CookieJar,
  type RedisServer,
  type Server,
  familyReport,
  newSecret,
  proxiedRead,
  signInOverHttp,
  startApi,
  startRedis,
  startWeb,
  tokensOf,
  waitUntil,
} from "./support/refresh-servers";

/**
 * A cookie from before several refreshes (a lost Set-Cookie, a late request, a restored tab)
 * never ends the live session: it adopts the session's newest generation. The grace window of
 * refresh outcomes is 1 s here, so what adopts is the generation store, not that window.
 */
const ACCESS_TOKEN_TTL = 3;
const secret = newSecret();

let api: ApiServer;
let redis: RedisServer;
let webA: Server;
let webB: Server;
let browser: Browser | undefined;

beforeAll(async () => {
  api = await startApi({
    accessTokenTtl: ACCESS_TOKEN_TTL,
  });
  redis = await startRedis();
  const env = { REFRESH_GRACE_SECONDS: "1" };
  [webA, webB] = await Promise.all([
    startWeb({ apiUrl: api.url, secret, redisUrl: redis.url, env }),
    startWeb({ apiUrl: api.url, secret, redisUrl: redis.url, env }),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  for (const server of [webA, webB]) await ifStarted(server)?.stop();
  await ifStarted(redis)?.stop();
  await ifStarted(api)?.stop();
});

/** Waits for the access token to expire, then reads through `webUrl`: one refresh. */
async function refreshThrough(webUrl: string, jar: CookieJar): Promise<void> {
  await waitUntil((await tokensOf(jar, secret)).accessTokenExpiresAt);
  const response = await proxiedRead(webUrl, jar);
  expect(response.status).toBe(200);
  jar.apply(response);
}

describe("session generations (two instances, Redis, 3 s tokens)", () => {
  it("a cookie saved before three refreshes is served with the newest tokens; the current cookie keeps working; no reuse, no family revoked", async () => {
    browser = await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${webA.url}/login?callbackUrl=%2Faccount`);
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    await page.waitForURL(`${webA.url}/account`);
    const saved = new CookieJar();
    for (const cookie of await sessionCookies(context))
      saved.cookies.set(cookie.name, cookie.value);
    const first = await tokensOf(saved, secret);

    const current = saved.clone();
    await refreshThrough(webA.url, current);
    await refreshThrough(webB.url, current);
    await refreshThrough(webA.url, current);
    const newest = await tokensOf(current, secret);
    expect(familyReport(api.databasePath, first.refreshToken)).toEqual({
      refreshes: 3,
      revokedUnrotated: 0,
      live: 1,
    });

    // After the grace window (1 s), while the newest access token is not yet due: the saved
    // cookie is served with the newest tokens and given the newest cookie.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const replay = await proxiedRead(webB.url, saved);
    expect(replay.status).toBe(200);
    const adopted = saved.clone();
    adopted.apply(replay);
    const adoptedTokens = await tokensOf(adopted, secret);
    expect(adoptedTokens.refreshToken).not.toBe(first.refreshToken);
    expect(adoptedTokens.refreshToken).toBe(newest.refreshToken);
    expect(familyReport(api.databasePath, first.refreshToken)).toEqual({
      refreshes: 3,
      revokedUnrotated: 0,
      live: 1,
    });

    // The newest cookie keeps working, on both instances.
    for (const url of [webA.url, webB.url])
      expect((await proxiedRead(url, current)).status).toBe(200);
    const final = familyReport(api.databasePath, first.refreshToken);
    expect(final.revokedUnrotated).toBe(0);
    expect(final.live).toBe(1);
  });
});

describe("session generations without Redis, across a restart", () => {
  it("after a restart the stale cookie gets 401 for that browser only; the current one keeps working", async () => {
    const storeDir = mkdtempSync(path.join(tmpdir(), "web-generations-store-"));
    const env = { SESSION_STORE_PATH: path.join(storeDir, "sessions.sqlite") };
    let web = await startWeb({ apiUrl: api.url, secret, env });
    const saved = await signInOverHttp(web.url, demoUsers.bob.username, demoUsers.bob.password);
    const first = await tokensOf(saved, secret);
    const current = saved.clone();
    for (let i = 0; i < 3; i += 1) await refreshThrough(web.url, current);

    await web.stop();
    web = await startWeb({ apiUrl: api.url, secret, env, port: web.port });
    try {
      const stale = await proxiedRead(web.url, saved);
      expect(stale.status).toBe(401);
      expect(await stale.json()).toEqual({ error: "session_expired" });

      await waitUntil((await tokensOf(current, secret)).accessTokenExpiresAt);
      const fresh = await proxiedRead(web.url, current);
      expect(fresh.status).toBe(200);
      expect(familyReport(api.databasePath, first.refreshToken)).toEqual({
        refreshes: 4,
        revokedUnrotated: 0,
        live: 1,
      });
    } finally {
      await web.stop();
      rmSync(storeDir, { recursive: true, force: true });
    }
  });
});
