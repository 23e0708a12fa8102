import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUsers, upstreamClient } from "../support/context";
import {
  type ApiServer,
  CookieJar,
  type Server,
  familyReport,
  newSecret,
  signInOverHttp,
  startApi,
  startWeb,
  tokensOf,
  waitUntil,
} from "../support/refresh-servers";
import { codeFlowUntilCallback, visitCallback } from "../support/code-flow-http";
import { freePort } from "../support/processes";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * E2 for the web app's own output: one `next start` (production build, NODE_ENV=production)
 * whose every line of stdout and stderr is kept, a reference API with 3 s access tokens so a
 * refresh happens within the test, then a search of that output for every secret the flow used:
 * password sign-ins (wrong and right), upstream calls, a refresh, a code-flow sign-in (code,
 * state, PKCE and nonce cookies), a refresh the API refuses, a replayed callback that next-auth
 * logs as an error, and sign-out.
 */
const secret = newSecret();
const wrongPassword = `wrong-${randomBytes(12).toString("base64url")}`;
const articles = "/api/upstream/jsonapi/node/article";

let api: ApiServer;
let web: Server;

beforeAll(async () => {
  const port = await freePort();
  api = await startApi({
    accessTokenTtl: 3,
    env: { API_WEB_REDIRECT_URIS: `http://127.0.0.1:${port}/api/auth/callback/upstream` },
  });
  web = await startWeb({
    apiUrl: api.url,
    secret,
    port,
    outputLimit: Infinity,
    env: { SIGN_IN_METHODS: "password,code" },
  });
}, 90_000);

afterAll(async () => {
  await ifStarted(web)?.stop();
  await ifStarted(api)?.stop();
});

/** The secrets to look for, by what they are (the label is what a failure names). */
class Secrets {
  readonly values = new Map<string, string>();
  add(label: string, value: string): void {
    if (value.length < 8) throw new Error(`${label} is too short to search for`);
    this.values.set(value, label);
    // As a form body or a query string would carry it.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.values.set(encoded, `${label} (URL-encoded)`);
  }
  /** A JWT, and each of its three parts (header, claims, signature) on its own. */
  addJwt(label: string, token: string): void {
    this.add(label, token);
    token.split(".").forEach((part, index) => {
      if (part.length >= 16) this.add(`${label}, part ${index + 1}`, part);
    });
  }
  /** Every cookie value in a jar (next-auth's csrf, state, PKCE and nonce cookies, the API's). */
  addCookies(jar: CookieJar, label: string): void {
    for (const [name, value] of jar.cookies) {
      if (value.length >= 8) this.add(`${label} cookie ${name}`, value);
    }
  }
  /** The session cookie as the browser sends it: each chunk and the chunks joined. */
  addSessionCookie(jar: CookieJar, when: string): void {
    for (const [name, value] of jar.cookies) {
      if (name.includes("session-token")) this.add(`session cookie ${name} (${when})`, value);
    }
    this.add(`session cookie value (${when})`, jar.session());
  }
  foundIn(output: string): string[] {
    return [...this.values].filter(([value]) => output.includes(value)).map(([, label]) => label);
  }
}

function upstream(
  jar: CookieJar,
  pathAndQuery: string,
  init: Omit<RequestInit, "headers"> & { headers?: Record<string, string> } = {},
) {
  return fetch(`${web.url}${pathAndQuery}`, {
    ...init,
    headers: { cookie: jar.header(), "x-csrf": "1", origin: web.url, ...init.headers },
    redirect: "manual",
  });
}

describe("E2 secrets never end up in logs", () => {
  it("E2 the web server's stdout/stderr hold no password, client secret, NEXTAUTH_SECRET, token, authorization code or cookie value after sign-ins, upstream calls, a refresh, a refused refresh, a failed callback and sign-out", async () => {
    const { username, password } = demoUsers.alice;
    const secrets = new Secrets();
    secrets.add("the right password", password);
    secrets.add("the wrong password", wrongPassword);
    secrets.add("the client secret", upstreamClient.secret);
    secrets.add("NEXTAUTH_SECRET", secret);

    // A sign-in with the wrong password: no session.
    const failed = new CookieJar();
    const csrf = await fetch(`${web.url}/api/auth/csrf`);
    failed.apply(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const refused = await fetch(`${web.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: failed.header(),
        origin: web.url,
      },
      body: new URLSearchParams({ csrfToken, username, password: wrongPassword, json: "true" }),
    });
    await refused.text();
    failed.apply(refused);
    expect(failed.session()).toBe("");

    // The right password.
    const jar = await signInOverHttp(web.url, username, password);
    secrets.addSessionCookie(jar, "after sign-in");
    const first = await tokensOf(jar, secret);
    secrets.addJwt("the first access token", first.accessToken);
    secrets.add("the first refresh token", first.refreshToken);

    // Upstream calls: reads (answered in proxy.ts), a write (the route handler), a 404 upstream
    // and a path outside the allow-list.
    const read = await upstream(jar, `${articles}?page[limit]=1`);
    expect(read.status).toBe(200);
    await read.text();
    const write = await upstream(jar, articles, {
      method: "POST",
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({ data: { type: "node--article", attributes: { title: "E2 probe" } } }),
    });
    expect(write.status).toBe(201);
    await write.text();
    const missing = await upstream(jar, `${articles}/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    await missing.text();
    const outside = await upstream(jar, "/api/upstream/oauth/token");
    expect(outside.status).toBeGreaterThanOrEqual(400);
    expect(outside.status).toBeLessThan(500);
    await outside.text();
    const me = await fetch(`${web.url}/api/me`, { headers: { cookie: jar.header() } });
    expect(me.status).toBe(200);
    await me.text();

    // A refresh: the access token has expired, the next call rotates both tokens.
    await waitUntil(first.accessTokenExpiresAt);
    const afterExpiry = await upstream(jar, `${articles}?page[limit]=1`);
    expect(afterExpiry.status).toBe(200);
    await afterExpiry.text();
    jar.apply(afterExpiry);
    const second = await tokensOf(jar, secret);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(familyReport(api.databasePath, first.refreshToken).refreshes).toBe(1);
    secrets.addSessionCookie(jar, "after the refresh");
    secrets.addJwt("the refreshed access token", second.accessToken);
    secrets.add("the refreshed refresh token", second.refreshToken);

    // Sign-in by authorization code + PKCE (bob), over HTTP so the code is seen.
    secrets.add("bob's password", demoUsers.bob.password);
    const callback = await codeFlowUntilCallback({
      webUrl: web.url,
      apiUrl: api.url,
      username: demoUsers.bob.username,
      password: demoUsers.bob.password,
    });
    const callbackUrl = new URL(callback.url);
    secrets.add("the authorization code", callbackUrl.searchParams.get("code") ?? "");
    secrets.add("the code flow's state", callbackUrl.searchParams.get("state") ?? "");
    secrets.addCookies(callback.webJar, "next-auth check");
    secrets.addCookies(callback.apiJar, "the API's sign-in");
    const beforeCallback = callback.webJar.clone();
    const landed = await visitCallback(callback.url, callback.webJar);
    expect(landed.headers.get("location")).toBe(`${web.url}/account`);
    const bob = callback.webJar;
    secrets.addSessionCookie(bob, "code flow");
    const bobTokens = await tokensOf(bob, secret);
    secrets.addJwt("bob's access token", bobTokens.accessToken);
    secrets.add("bob's refresh token", bobTokens.refreshToken);
    const bobRead = await upstream(bob, `${articles}?page[limit]=1`);
    expect(bobRead.status).toBe(200);
    await bobRead.text();

    // A refresh the API refuses: the family is revoked there (RFC 7009), the next call is
    // refused upstream, the refresh fails and the session ends.
    const revoked = await fetch(`${api.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: bobTokens.refreshToken,
        token_type_hint: "refresh_token",
        client_id: upstreamClient.id,
        client_secret: upstreamClient.secret,
      }),
    });
    expect(revoked.status).toBe(200);
    const refusedRefresh = await upstream(bob, `${articles}?page[limit]=1`);
    expect(refusedRefresh.status).toBe(401);
    expect(await refusedRefresh.json()).toEqual({ error: "session_expired" });

    // A callback whose state was changed on the way: openid-client's error quotes both values.
    const tampered = new URL(callback.url);
    tampered.searchParams.set("state", `forged-${randomBytes(12).toString("base64url")}`);
    secrets.add("the forged state", tampered.searchParams.get("state") ?? "");
    const mismatch = await visitCallback(tampered.href, beforeCallback.clone());
    expect(mismatch.headers.get("location")).toMatch(/\/login\?error=|\/api\/auth\/error/);

    // The same callback again (code reused, check cookies still there): next-auth's token
    // exchange fails and it logs the error, which is where a code or an id_token could leak.
    const replayed = await visitCallback(callback.url, beforeCallback);
    expect(replayed.headers.get("location")).toMatch(/\/login\?error=|\/api\/auth\/error/);

    // Sign-out (revokes the refresh token upstream).
    const signOutCsrf = await fetch(`${web.url}/api/auth/csrf`, {
      headers: { cookie: jar.header() },
    });
    jar.apply(signOutCsrf);
    secrets.addSessionCookie(jar, "before sign-out");
    const { csrfToken: signOutToken } = (await signOutCsrf.json()) as { csrfToken: string };
    const signOut = await fetch(`${web.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: jar.header(),
        origin: web.url,
      },
      body: new URLSearchParams({ csrfToken: signOutToken, json: "true" }),
    });
    await signOut.text();
    jar.apply(signOut);
    expect(jar.session()).toBe("");
    expect(familyReport(api.databasePath, second.refreshToken).live).toBe(0);

    // Stopping the server flushes whatever it still had to write.
    await web.stop();
    const output = web.output();
    expect(output).toMatch(/Ready in/);
    // The failures above were logged, by code, name and message.
    expect(output).toMatch(/next-auth error OAUTH_CALLBACK_ERROR/);
    expect(output).toContain("state mismatch, expected [value], got: [value]");
    expect(secrets.foundIn(output)).toEqual([]);
    // Shapes, whatever their value: a JWT or JWE, a token in a query or form.
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(output).not.toMatch(/(access|refresh)_token=|client_secret=|password=/i);
  });
});
