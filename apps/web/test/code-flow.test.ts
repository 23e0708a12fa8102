// @module-tag browser
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Cookie, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, sessionCookies, submitSignIn } from "./support/browser";
import { demoUsers, upstreamClient } from "./support/context";
import { freePort } from "./support/processes";
import {
  type ApiServer,
  CookieJar,
  type Server,
  familyReport,
  newSecret,
  startApi,
  startWeb,
  tokensOf,
  waitUntil,
} from "./support/refresh-servers";
import { tokensInCookie } from "./support/session-tokens";
import { ifStarted } from "../../../test-support/hooks.js";

/**
 * Issue 9, web side: sign-in by authorization code + PKCE through the reference API's own
 * sign-in page, ending in the same session as the password form. Own API (5 s access tokens,
 * the web apps' redirect URIs registered exactly) and two `next start`: both methods, and the
 * code flow alone.
 */
const ACCESS_TOKEN_TTL = 5;
const PROVIDER_NAME = "Reference API";
const secret = newSecret();
const articles = "/api/upstream/jsonapi/node/article?page[limit]=1";

let dataDir: string;
let api: ApiServer;
let web: Server;
let codeOnly: Server;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "web-code-flow-"));
  const [webPort, codeOnlyPort] = [await freePort(), await freePort()];
  const callback = (port: number) => `http://127.0.0.1:${port}/api/auth/callback/upstream`;
  api = await startApi({
    databasePath: path.join(dataDir, "api.sqlite"),
    accessTokenTtl: ACCESS_TOKEN_TTL,
    env: { API_WEB_REDIRECT_URIS: `${callback(webPort)},${callback(codeOnlyPort)}` },
  });
  const env = (methods: string) => ({ SIGN_IN_METHODS: methods, UPSTREAM_NAME: PROVIDER_NAME });
  [web, codeOnly, browser] = await Promise.all([
    startWeb({ apiUrl: api.url, secret, port: webPort, env: env("password,code") }),
    startWeb({ apiUrl: api.url, secret, port: codeOnlyPort, env: env("code") }),
    launchBrowser(),
  ]);
}, 90_000);

afterAll(async () => {
  await ifStarted(browser)?.close();
  await Promise.all(
    [web, codeOnly].map(async (server) => {
      await ifStarted(server)?.stop();
    }),
  );
  await ifStarted(api)?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const codeButton = (page: Page) =>
  page.getByRole("button", { name: `Sign in with ${PROVIDER_NAME}` });

/** From our /login through the API's sign-in page; resolves on the API's page. */
async function startCodeFlow(page: Page, webUrl: string, callbackPath: string) {
  await page.goto(`${webUrl}/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await codeButton(page).click();
  await page.waitForURL((url) => url.href.startsWith(`${api.url}/oauth/login`));
}

/**
 * Signs in on the API's page and stops before our callback: the form is sent from here
 * (browsers follow redirects without letting a test stop them), with the page's fields and the
 * API's cookies, following the API's own redirects until one points at our callback. Returns
 * that URL (with `code`, `state`, `iss`) and the next-auth check cookies (state, PKCE verifier,
 * nonce) the browser holds.
 */
async function interceptedCallback(context: BrowserContext, page: Page, webUrl: string) {
  await startCodeFlow(page, webUrl, "/account");
  const fields = await page.evaluate(() => {
    const form = document.querySelector("form");
    if (!form) return [];
    return [...new FormData(form)].map(([name, value]): [string, string] => [
      name,
      typeof value === "string" ? value : "",
    ]);
  });
  const form = new URLSearchParams(Object.fromEntries(fields));
  form.set("username", demoUsers.bob.username);
  form.set("password", demoUsers.bob.password);
  const jar = jarOf(await context.cookies(api.url));
  let url = page.url();
  let response = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: jar.header(),
      origin: api.url,
    },
    body: form.toString(),
  });
  for (let hop = 0; hop < 5; hop += 1) {
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) break;
    url = new URL(location, url).href;
    if (url.startsWith(`${webUrl}/api/auth/callback/upstream`)) {
      return { url, checkCookies: await context.cookies(webUrl) };
    }
    jar.apply(response);
    response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
  }
  throw new Error(`the API did not redirect to our callback: ${response.status} ${url}`);
}

/** Cookie header of the session cookie (chunks joined by the server). */
function jarOf(cookies: Cookie[]): CookieJar {
  const jar = new CookieJar();
  for (const cookie of cookies) jar.cookies.set(cookie.name, cookie.value);
  return jar;
}

function refreshUpstream(refreshToken: string) {
  return fetch(`${api.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: upstreamClient.id,
      client_secret: upstreamClient.secret,
    }),
  });
}

async function expectSignedOut(context: BrowserContext, page: Page, webUrl: string) {
  expect(await sessionCookies(context)).toEqual([]);
  const session = await page.evaluate(async () => (await fetch("/api/auth/session")).text());
  expect(JSON.parse(session)).toEqual({});
  expect(new URL(page.url()).origin).toBe(webUrl);
}

describe("sign-in by authorization code + PKCE (reference API's own pages)", () => {
  it("lands where asked with the password form's session: no token in the browser, proxy works, one refresh per storm, sign-out revokes", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies: string[] = [];
    page.on("response", (response) => {
      if (["document", "fetch", "xhr"].includes(response.request().resourceType())) {
        response.text().then(
          (text) => bodies.push(`${response.url()}\n${text}`),
          () => undefined,
        );
      }
    });

    // Both methods are offered; the form is there too.
    await page.goto(`${web.url}/login?callbackUrl=%2Faccount`);
    expect(await page.getByLabel("Username").count()).toBe(1);
    await startCodeFlow(page, web.url, "/account");
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    await page.waitForURL(`${web.url}/account`);
    await expect.poll(() => page.getByTestId("user-username").textContent()).toBe("alice");
    expect(await page.getByTestId("user-roles").textContent()).toContain("editor");

    // A1: the session and every page body carry display fields, never a token.
    const cookies = await sessionCookies(context);
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).toEqual([
      ["next-auth.session-token", true, "Lax"],
    ]);
    const { accessToken, refreshToken } = await tokensInCookie(cookies, secret);
    const fromBrowser = await page.evaluate(async () => ({
      session: await (await fetch("/api/auth/session")).text(),
      html: document.documentElement.outerHTML,
      cookie: document.cookie,
      proxied: await fetch("/api/upstream/jsonapi/node/article?page[limit]=1", {
        headers: { "X-CSRF": "1" },
      }).then(async (response) => ({ status: response.status, body: await response.text() })),
    }));
    expect(fromBrowser.session).toContain('"username":"alice"');
    expect(fromBrowser.cookie).not.toContain("session-token");
    // The proxy forwards with the session's bearer token.
    expect(fromBrowser.proxied.status).toBe(200);
    expect(JSON.parse(fromBrowser.proxied.body)).toHaveProperty("data");
    const everything = [...Object.values(fromBrowser).map(String), ...bodies].join("\n");
    expect(everything).not.toContain(accessToken);
    expect(everything).not.toContain(refreshToken);
    expect(everything).not.toMatch(/"(accessToken|refreshToken|id_token|idToken)"/);

    // B9: after expiry, 50 concurrent proxied calls give exactly one refresh in the API.
    const jar = jarOf(await sessionCookies(context));
    const before = await tokensOf(jar, secret);
    const refreshesBefore = familyReport(api.databasePath, refreshToken).refreshes;
    await waitUntil(before.accessTokenExpiresAt);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${web.url}${articles}`, {
          headers: { cookie: jar.header(), "x-csrf": "1" },
          redirect: "manual",
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(familyReport(api.databasePath, refreshToken)).toEqual({
      refreshes: refreshesBefore + 1,
      revokedUnrotated: 0,
      live: 1,
    });

    // A9: the browser gets the refreshed cookie, signs out, and the upstream token is revoked.
    jar.apply(responses[0] as Response);
    const latest = await tokensOf(jar, secret);
    expect(latest.refreshToken).not.toBe(before.refreshToken);
    await context.clearCookies();
    await context.addCookies(
      [...jar.cookies].map(([name, value]) => ({ name, value, url: web.url, httpOnly: true })),
    );
    await page.goto(`${web.url}/account`);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/login/);
    await expectSignedOut(context, page, web.url);
    const refused = await refreshUpstream(latest.refreshToken);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error?: string }).error).toBe("invalid_grant");
    expect(familyReport(api.databasePath, refreshToken).live).toBe(0);
    await context.close();
  });

  it("with only `code` configured: no password form, the button signs in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${codeOnly.url}/login?callbackUrl=%2Faccount`);
    expect(await page.getByLabel("Username").count()).toBe(0);
    expect(await page.getByLabel("Password").count()).toBe(0);
    await startCodeFlow(page, codeOnly.url, "/account");
    await submitSignIn(page, demoUsers.bob.username, demoUsers.bob.password);
    await page.waitForURL(`${codeOnly.url}/account`);
    await expect.poll(() => page.getByTestId("user-username").textContent()).toBe("bob");
    // The password grant is not offered by this app at all.
    const credentials = await fetch(`${codeOnly.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
    });
    expect(credentials.headers.getSetCookie().join("\n")).not.toContain("session-token");
    await context.close();
  });
});

describe("the code flow refuses (web side)", () => {
  it.each([
    ["missing", (url: URL) => url.searchParams.delete("state")],
    ["wrong", (url: URL) => url.searchParams.set("state", "not-the-state-we-sent")],
  ])("a %s `state` at our callback is refused: no session", async (_, tamper) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { url } = await interceptedCallback(context, page, web.url);
    const tampered = new URL(url);
    tamper(tampered);
    await page.goto(tampered.href);
    await page.waitForURL(/\/login\?.*error=/);
    await expectSignedOut(context, page, web.url);
    await context.close();
  });

  it("a code replayed to our callback is refused, and the API revokes what the code issued", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { url, checkCookies } = await interceptedCallback(context, page, web.url);
    // The genuine callback signs bob in.
    await page.goto(url);
    await page.waitForURL(`${web.url}/account`);
    const { refreshToken } = await tokensInCookie(await sessionCookies(context), secret);

    // Replayed by someone holding only the URL: no check cookies, refused before any exchange.
    const bare = await browser.newContext();
    const barePage = await bare.newPage();
    await barePage.goto(url);
    await barePage.waitForURL(/\/login\?.*error=/);
    await expectSignedOut(bare, barePage, web.url);
    await bare.close();

    // Replayed with copies of the check cookies (state, verifier, nonce): next-auth sends the
    // code again, the API refuses it and revokes the tokens it issued.
    const other = await browser.newContext();
    await other.addCookies(checkCookies.filter((cookie) => !cookie.name.includes("session-token")));
    const replayPage = await other.newPage();
    await replayPage.goto(url);
    await replayPage.waitForURL(/\/login\?.*error=/);
    await expectSignedOut(other, replayPage, web.url);
    const refused = await refreshUpstream(refreshToken);
    expect(refused.status).toBe(400);
    await other.close();
    await context.close();
  });

  it("A4 the API's sign-in page sends nobody to a foreign site through `destination`", async () => {
    const context = await browser.newContext();
    const foreign: string[] = [];
    await context.route("https://evil.example/**", async (route) => {
      foreign.push(route.request().url());
      await route.abort();
    });
    const page = await context.newPage();
    for (const destination of ["https://evil.example/", "//evil.example/", "/\\evil.example"]) {
      const response = await page.goto(
        `${api.url}/oauth/login?destination=${encodeURIComponent(destination)}`,
      );
      expect(response?.status()).toBe(400);
      expect(await page.getByLabel("Password").count()).toBe(0);
    }
    // A well-formed destination whose redirect_uri is foreign: a 400 page, never a redirect.
    const authorize = new URL("/oauth/authorize", api.url);
    authorize.search = new URLSearchParams({
      client_id: upstreamClient.id,
      redirect_uri: "https://evil.example/api/auth/callback/upstream",
      response_type: "code",
      scope: "openid reader",
      state: "s",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWEvzDk5cJ1Zs",
      code_challenge_method: "S256",
    }).toString();
    const destination = `${authorize.pathname}${authorize.search}`;
    const response = await page.goto(
      `${api.url}/oauth/login?destination=${encodeURIComponent(destination)}`,
    );
    if ((await page.getByLabel("Password").count()) > 0) {
      await submitSignIn(page, demoUsers.bob.username, demoUsers.bob.password);
      await page.waitForLoadState();
    } else {
      expect(response?.status()).toBe(400);
    }
    expect(new URL(page.url()).origin).toBe(api.url);
    expect(foreign).toEqual([]);
    await context.close();
  });
});
