// @module-tag browser
// @module-tag redis
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, sessionCookies, submitSignIn } from "./support/browser";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  type CookieJar,
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
  tokensOfCookie,
  waitUntil,
} from "./support/refresh-servers";
import { ifStarted } from "../../../test-support/hooks.js";

/**
 * Issue 5 against the real reference API with a 3 s access-token lifetime: one `next start`
 * without Redis (in-process single-flight), two sharing a Redis this file starts. Refreshes are
 * counted in the API's own SQLite file, never in the client.
 */
const ACCESS_TOKEN_TTL = 3;
const secret = newSecret();

let dataDir: string;
let api: ApiServer;
let redis: RedisServer;
let single: Server;
let webA: Server;
let webB: Server;
let browser: Browser | undefined;

beforeAll(async () => {
  // A folder of the test's own: A11 stops the API and starts it again on the same database
  // (`stop()` removes a folder `startApi` made itself).
  dataDir = mkdtempSync(path.join(tmpdir(), "web-refresh-"));
  api = await startApi({
    databasePath: path.join(dataDir, "api.sqlite"),
    accessTokenTtl: ACCESS_TOKEN_TTL,
  });
  redis = await startRedis();
  [single, webA, webB] = await Promise.all([
    startWeb({ apiUrl: api.url, secret }),
    startWeb({ apiUrl: api.url, secret, redisUrl: redis.url }),
    startWeb({ apiUrl: api.url, secret, redisUrl: redis.url }),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    [single, webA, webB].map(async (server) => {
      await ifStarted(server)?.stop();
    }),
  );
  await ifStarted(redis)?.stop();
  await ifStarted(api)?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Signs alice in and waits until her access token has expired. */
async function expiredSession(webUrl: string) {
  const jar = await signInOverHttp(webUrl, demoUsers.alice.username, demoUsers.alice.password);
  const tokens = await tokensOf(jar, secret);
  await waitUntil(tokens.accessTokenExpiresAt);
  return { jar, tokens };
}

/** The distinct refresh tokens the responses set (after a single-flight: exactly one). */
async function refreshTokensSet(responses: Response[], jar: CookieJar) {
  const seen = new Set<string>();
  for (const response of responses) {
    const copy = jar.clone();
    copy.apply(response);
    seen.add((await tokensOf(copy, secret)).refreshToken);
  }
  return seen;
}

describe("token refresh with an expired access token (reference API, 3 s tokens)", () => {
  it("B9 100 concurrent proxied requests on one instance: all 200, the API records exactly one refresh", async () => {
    const { jar, tokens } = await expiredSession(single.url);
    expect(familyReport(api.databasePath, tokens.refreshToken).refreshes).toBe(0);

    const responses = await Promise.all(
      Array.from({ length: 100 }, () => proxiedRead(single.url, jar)),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(100).fill(200));
    const report = familyReport(api.databasePath, tokens.refreshToken);
    expect(report).toEqual({ refreshes: 1, revokedUnrotated: 0, live: 1 });
    // Everyone got the same new session: one rotated refresh token, set on every response.
    const setTokens = await refreshTokensSet(responses, jar);
    expect(setTokens.size).toBe(1);
    expect(setTokens.has(tokens.refreshToken)).toBe(false);
  });

  it("B9 100 concurrent requests over two instances sharing Redis: all 200, one refresh, no family revocation", async () => {
    const { jar, tokens } = await expiredSession(webA.url);

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        proxiedRead(index % 2 === 0 ? webA.url : webB.url, jar),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(100).fill(200));
    expect(familyReport(api.databasePath, tokens.refreshToken)).toEqual({
      refreshes: 1,
      revokedUnrotated: 0,
      live: 1,
    });
    expect((await refreshTokensSet(responses, jar)).size).toBe(1);

    // A late request with the old cookie, on either instance, adopts the new tokens.
    for (const web of [webA, webB]) {
      const late = await proxiedRead(web.url, jar);
      expect(late.status).toBe(200);
      const copy = jar.clone();
      copy.apply(late);
      expect((await tokensOf(copy, secret)).refreshToken).not.toBe(tokens.refreshToken);
    }
    expect(familyReport(api.databasePath, tokens.refreshToken).refreshes).toBe(1);
  });

  it("A11 a refresh token the upstream refuses ends the session: 401 session_expired with the cookie cleared, pages go to /login", async () => {
    const { jar, tokens } = await expiredSession(single.url);
    // Revoke the family upstream (what a sign-out elsewhere or an administrator does).
    const revoked = await fetch(`${api.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: tokens.refreshToken,
        client_id: "next-web",
        client_secret: "next-web-secret",
      }).toString(),
    });
    expect(revoked.status).toBe(200);

    const page = await fetch(`${single.url}/connection`, {
      headers: { cookie: jar.header() },
      redirect: "manual",
    });
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get("location") ?? "", single.url).toString()).toBe(
      `${single.url}/login?callbackUrl=%2Fconnection`,
    );
    expect(page.headers.getSetCookie().join("\n")).toMatch(/next-auth\.session-token=;.*Max-Age=0/);

    // The same old cookie on an API call: the session is ended (reason expired), not refreshed.
    const call = await proxiedRead(single.url, jar);
    expect(call.status).toBe(401);
    expect(await call.json()).toEqual({ error: "session_expired" });
  });

  it("a page navigation after expiry renders with the refreshed token (handed to the render by proxy.ts)", async () => {
    const { jar, tokens } = await expiredSession(single.url);
    const response = await fetch(`${single.url}/connection`, {
      headers: { cookie: jar.header() },
      redirect: "manual",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/data-testid="server-status"[^>]*>200</);
    const shown = Number(/data-value="(\d+)"/.exec(html)?.[1]);
    expect(shown).toBeGreaterThan(Date.now());
    jar.apply(response);
    expect((await tokensOf(jar, secret)).accessTokenExpiresAt).toBe(shown);
    expect(familyReport(api.databasePath, tokens.refreshToken).refreshes).toBe(1);
  });

  it("browser: 5 parallel proxied calls after expiry all succeed, and a navigation after expiry renders fresh data, never /login", async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: single.url });
    const page = await context.newPage();
    await page.goto("/login?callbackUrl=%2Fconnection");
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    await page.waitForURL(/\/connection$/);
    const firstExpiry = Number(await page.getByTestId("token-expires").getAttribute("data-value"));
    const sessionTokens = async () =>
      tokensOfCookie(
        (await sessionCookies(context)).map((cookie) => cookie.value).join(""),
        secret,
      );
    const { refreshToken } = await sessionTokens();

    await waitUntil(firstExpiry);
    await page.getByRole("button", { name: "Send 5 requests at once" }).click();
    const items = page.getByTestId("parallel-results").locator("li");
    await expect.poll(() => items.count()).toBe(5);
    expect(await items.evaluateAll((nodes) => nodes.map((node) => node.dataset.status))).toEqual(
      Array(5).fill("200"),
    );
    expect(familyReport(api.databasePath, refreshToken).refreshes).toBe(1);

    // Wait out the refreshed token too, then navigate: the page renders with a fresh token.
    await waitUntil((await sessionTokens()).accessTokenExpiresAt);
    const navigation = await page.goto("/connection");
    expect(navigation?.status()).toBe(200);
    expect(navigation?.request().redirectedFrom()).toBeNull();
    expect(new URL(page.url()).pathname).toBe("/connection");
    expect(await page.getByTestId("server-status").textContent()).toBe("200");
    expect(
      Number(await page.getByTestId("token-expires").getAttribute("data-value")),
    ).toBeGreaterThan(Date.now());
    expect(familyReport(api.databasePath, refreshToken)).toEqual({
      refreshes: 2,
      revokedUnrotated: 0,
      live: 1,
    });
    await context.close();
  });

  it("A11 the API restarted while signed in: calls fail with 502/503 meanwhile, the session is kept and works after the restart", async () => {
    const jar = await signInOverHttp(single.url, demoUsers.bob.username, demoUsers.bob.password);
    const tokens = await tokensOf(jar, secret);
    expect((await proxiedRead(single.url, jar)).status).toBe(200);

    await api.stop();
    const during = await proxiedRead(single.url, jar);
    expect(during.status).toBe(502);
    expect(during.headers.getSetCookie()).toEqual([]);
    await waitUntil(tokens.accessTokenExpiresAt);
    const refreshDuring = await proxiedRead(single.url, jar);
    expect(refreshDuring.status).toBe(503);
    expect(await refreshDuring.json()).toEqual({ error: "refresh_unavailable" });
    expect(refreshDuring.headers.getSetCookie()).toEqual([]);

    await api.restart();
    // Past the 1 s during which the failed refresh is remembered.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await proxiedRead(single.url, jar);
    expect(after.status).toBe(200);
    jar.apply(after);
    expect(familyReport(api.databasePath, tokens.refreshToken)).toEqual({
      refreshes: 1,
      revokedUnrotated: 0,
      live: 1,
    });
    const page = await fetch(`${single.url}/connection`, {
      headers: { cookie: jar.header() },
      redirect: "manual",
    });
    expect(page.status).toBe(200);
  });

  it("B9 Redis stopped mid-test: no refresh token is spent without the lock (503, session kept); once Redis is back, the same cookie refreshes once", async () => {
    const { jar, tokens } = await expiredSession(webA.url);
    await redis.stop();

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => proxiedRead(webA.url, jar)),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(503));
    for (const response of responses) {
      expect(await response.json()).toEqual({ error: "refresh_unavailable" });
      expect(response.headers.get("retry-after")).not.toBeNull();
    }
    expect(familyReport(api.databasePath, tokens.refreshToken)).toEqual({
      refreshes: 0,
      revokedUnrotated: 0,
      live: 1,
    });
    expect(webA.output()).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable/);
    expect(webA.output()).toMatch(/refreshes answer 503 and keep the session/);

    // Redis back (empty): the same cookie is refreshed, once, across both instances.
    await redis.restart();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // ioredis reconnects
    const again = await Promise.all(
      Array.from({ length: 10 }, (_, i) => proxiedRead(i % 2 === 0 ? webA.url : webB.url, jar)),
    );
    expect(again.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(familyReport(api.databasePath, tokens.refreshToken)).toEqual({
      refreshes: 1,
      revokedUnrotated: 0,
      live: 1,
    });
  });
});
