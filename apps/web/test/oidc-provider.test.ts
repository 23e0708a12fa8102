// @module-tag browser
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifStarted } from "../../../test-support/hooks.js";
import { launchBrowser, submitSignIn } from "./support/browser";
import { type OidcTestServer, oidcPeople, startOidcServer } from "./support/oidc-server";
import { freePort } from "./support/processes";
import {
  type CookieJar,
  type Server,
  newSecret,
  signInOverHttp,
  startWeb,
  tokensOf,
  waitUntil,
} from "./support/refresh-servers";

/**
 * Issue 19: an independent OpenID Connect server (node-oidc-provider 9, support/oidc-server.ts)
 * used by `next start` of this app through environment variables alone: the password grant
 * (a custom grant there) and the code flow with PKCE, the proxy reading the server's protected
 * resource with a JWT access token, one refresh per burst of expired requests, sign-out revoking
 * the refresh token; and, without `offline_access`, a session that ends with its access token.
 */
const ACCESS_TOKEN_TTL = 4;
const SERVER_NAME = "OIDC test server";
const secret = newSecret();
const notes = "/api/upstream/api/notes";

let oidc: OidcTestServer;
let oidcWithoutRefresh: OidcTestServer;
let web: Server;
let webWithoutRefresh: Server;
let browser: Browser;

const environment = (server: OidcTestServer, scope: string) => ({
  UPSTREAM_KIND: "oidc",
  UPSTREAM_URL: server.issuer,
  UPSTREAM_CLIENT_ID: server.clientId,
  UPSTREAM_CLIENT_SECRET: server.clientSecret,
  UPSTREAM_SCOPE: scope,
  UPSTREAM_PATHS: "/api/",
  UPSTREAM_NAME: SERVER_NAME,
  TRUSTED_PROXY_HOPS: "0",
});

beforeAll(async () => {
  const port = await freePort();
  const callback = `http://127.0.0.1:${String(port)}/api/auth/callback/upstream`;
  [oidc, oidcWithoutRefresh] = await Promise.all([
    startOidcServer({
      accessTokenTtl: ACCESS_TOKEN_TTL,
      redirectUris: [callback],
      refreshTokens: "always",
    }),
    startOidcServer({
      accessTokenTtl: ACCESS_TOKEN_TTL,
      redirectUris: ["http://127.0.0.1:9/api/auth/callback/upstream"], // unused: password only
      refreshTokens: "offline_access",
    }),
  ]);
  [web, webWithoutRefresh, browser] = await Promise.all([
    startWeb({
      apiUrl: oidc.issuer,
      secret,
      port,
      env: {
        ...environment(oidc, "openid profile email offline_access api"),
        SIGN_IN_METHODS: "password,code",
      },
    }),
    startWeb({
      apiUrl: oidcWithoutRefresh.issuer,
      secret,
      env: {
        ...environment(oidcWithoutRefresh, "openid profile email api"),
        SIGN_IN_IDENTIFIER_LABEL: "Email",
      },
    }),
    launchBrowser(),
  ]);
}, 90_000);

afterAll(async () => {
  await ifStarted(browser)?.close();
  await Promise.all([ifStarted(web)?.stop(), ifStarted(webWithoutRefresh)?.stop()]);
  await Promise.all([ifStarted(oidc)?.stop(), ifStarted(oidcWithoutRefresh)?.stop()]);
});

const proxied = (server: Server, jar: CookieJar, path = notes) =>
  fetch(`${server.url}${path}`, {
    headers: { cookie: jar.header(), "x-csrf": "1" },
    redirect: "manual",
  });

async function signOutOverHttp(server: Server, jar: CookieJar): Promise<void> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.apply(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${server.url}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
  });
  jar.apply(response);
  expect(response.status).toBeLessThan(400);
}

describe("node-oidc-provider, by configuration alone", () => {
  it("password grant: sign-in, the proxy reads the resource, one refresh per burst, sign-out revokes", async () => {
    const jar = await signInOverHttp(web.url, "alice", oidcPeople.alice?.password ?? "");
    const signedIn = await tokensOf(jar, secret);
    expect(signedIn.accessToken.split(".")).toHaveLength(3); // a JWT for the resource server
    expect(oidc.counts.password).toBe(1);

    const first = await proxied(web, jar);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ sub: "u-alice", notes: ["first note"] });
    const outside = await proxied(web, jar, "/api/upstream/token");
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ error: "path_not_allowed" });
    const account = await (
      await fetch(`${web.url}/account`, { headers: { cookie: jar.header() } })
    ).text();
    expect(account).toMatch(/data-testid="user-roles"[^>]*>\s*<li>editor<\/li>\s*<\/ul>/);

    // Expired: a burst of concurrent requests, exactly one refresh at the server.
    await waitUntil(signedIn.accessTokenExpiresAt);
    const refreshesBefore = oidc.counts.refresh;
    const burst = await Promise.all(Array.from({ length: 10 }, () => proxied(web, jar)));
    expect(burst.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(oidc.counts.refresh).toBe(refreshesBefore + 1);
    const refreshed = burst.find((response) => response.headers.getSetCookie().length > 0);
    if (refreshed === undefined) throw new Error("no response carried the new session cookie");
    jar.apply(refreshed);
    const latest = await tokensOf(jar, secret);
    expect(latest.refreshToken).not.toBe(signedIn.refreshToken);
    // Rotation: the first refresh token is spent.
    expect((await oidc.refreshDirectly(signedIn.refreshToken)).status).toBe(400);

    // Sign-out revokes the newest refresh token at the server (RFC 7009).
    await signOutOverHttp(web, jar);
    expect(await oidc.refreshDirectly(latest.refreshToken)).toEqual({
      status: 400,
      error: "invalid_grant",
    });
    expect((await proxied(web, jar)).status).toBe(401);
  });

  it("code + PKCE: signs in on the server's own page and lands signed in, roles from the id_token", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web.url}/login?callbackUrl=%2Faccount`);
    await page.getByRole("button", { name: `Sign in with ${SERVER_NAME}` }).click();
    await page.waitForURL((url) => url.href.startsWith(`${oidc.issuer}/interaction/`));
    await submitSignIn(page, "bob", oidcPeople.bob?.password ?? "");
    await page.waitForURL(`${web.url}/account`);
    await expect.poll(() => page.getByTestId("user-username").textContent()).toBe("bob");
    expect(await page.getByTestId("user-roles").textContent()).toBe("reader");
    expect(oidc.counts.code).toBe(1);
    const fromBrowser = await page.evaluate(async (path) => {
      const response = await fetch(path, { headers: { "X-CSRF": "1" } });
      return { status: response.status, body: await response.text() };
    }, notes);
    expect(fromBrowser.status).toBe(200);
    expect(JSON.parse(fromBrowser.body)).toEqual({ sub: "u-bob", notes: ["first note"] });
    await context.close();
  });

  it("without offline_access: no refresh token, the session works, ends with the access token, and the log says why", async () => {
    const login = await (await fetch(`${webWithoutRefresh.url}/login`)).text();
    expect(login).toMatch(/<label for="username">Email<\/label>/);

    const jar = await signInOverHttp(
      webWithoutRefresh.url,
      "alice",
      oidcPeople.alice?.password ?? "",
    );
    const { accessTokenExpiresAt, refreshToken } = await tokensOf(jar, secret);
    expect(refreshToken).toMatch(/^next-token-bff:no-refresh-token:/);
    expect((await proxied(webWithoutRefresh, jar)).status).toBe(200);
    expect(webWithoutRefresh.output()).toMatch(/issued no refresh token[^\n]*offline_access/);

    await waitUntil(accessTokenExpiresAt);
    const ended = await proxied(webWithoutRefresh, jar);
    expect(ended.status).toBe(401);
    expect(await ended.json()).toEqual({ error: "session_expired" });
    expect(oidcWithoutRefresh.counts.refresh).toBe(0);
    expect(oidcWithoutRefresh.counts.password).toBe(1);
  });
});
