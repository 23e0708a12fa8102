// @module-tag browser
import { type Browser, request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, submitSignIn } from "../support/browser";
import { demoUsers } from "../support/context";
import { freePort } from "../support/processes";
import {
  type ApiServer,
  type Server,
  newSecret,
  startApi,
  startWeb,
} from "../support/refresh-servers";
import { type TlsProxy, startTlsProxy } from "../support/tls-proxy";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * The web app as it runs in production: behind a TLS-terminating proxy that appends the
 * client's address to X-Forwarded-For (TRUSTED_PROXY_HOPS=1), with an https NEXTAUTH_URL. The
 * other suites run on plain http, where cookies cannot be `Secure` or `__Host-`.
 */
let api: ApiServer;
let web: Server;
let proxy: TlsProxy;
let browser: Browser;

beforeAll(async () => {
  api = await startApi({
    accessTokenTtl: 300,
    maxSeconds: 300,
  });
  const webPort = await freePort();
  proxy = await startTlsProxy(`http://127.0.0.1:${webPort}`);
  web = await startWeb({
    apiUrl: api.url,
    secret: newSecret(),
    port: webPort,
    maxSeconds: 300,
    env: { NEXTAUTH_URL: proxy.url, TRUSTED_PROXY_HOPS: "1", SIGN_IN_LIMIT_PER_ADDRESS: "3" },
  });
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await ifStarted(browser)?.close();
  await ifStarted(proxy)?.close();
  await ifStarted(web)?.stop();
  await ifStarted(api)?.stop();
});

describe("behind a TLS proxy (https NEXTAUTH_URL, one trusted hop)", () => {
  it("A2 E1 signs in over https with one __Host- session cookie (Secure, HttpOnly, SameSite=Lax, Path=/, no Domain) and HSTS on pages", async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const login = await page.goto(`${proxy.url}/login`);
    expect(login?.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);

    const callback = page.waitForResponse((r) => r.url().includes("/api/auth/callback/"));
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    const setCookies = (await (await callback).headersArray())
      .filter((header) => header.name.toLowerCase() === "set-cookie")
      .map((header) => header.value);
    const session = setCookies.filter((line) => line.includes("next-auth.session-token"));
    expect(session).toHaveLength(1);
    expect(session[0]).toMatch(/^__Host-next-auth\.session-token=/);
    expect(session[0]).toMatch(/; Secure/i);
    expect(session[0]).toMatch(/; HttpOnly/i);
    expect(session[0]).toMatch(/; SameSite=Lax/i);
    expect(session[0]).toMatch(/; Path=\/(;|$)/i);
    expect(session[0]).not.toMatch(/; Domain=/i);

    await page.waitForURL(`${proxy.url}/`);
    const articles = await page.goto(`${proxy.url}/articles`);
    expect(articles?.status()).toBe(200);
    expect(page.url()).toBe(`${proxy.url}/articles`);
    expect(articles?.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
    // The browser keeps it, and page scripts cannot read it.
    const stored = (await context.cookies()).filter((c) => c.name.includes("session-token"));
    expect(stored.map((c) => [c.name, c.secure, c.httpOnly])).toEqual([
      ["__Host-next-auth.session-token", true, true],
    ]);
    expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");
    await context.close();
  });

  it("C1 counts the address the proxy saw: what a client writes into X-Forwarded-For is ignored", async () => {
    const client = await request.newContext({ baseURL: proxy.url, ignoreHTTPSErrors: true });
    const signIn = async (username: string, spoofed: string) => {
      const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as {
        csrfToken: string;
      };
      const response = await client.post("/api/auth/callback/credentials", {
        form: { csrfToken, username, password: "wrong", callbackUrl: proxy.url, json: "true" },
        headers: { "x-forwarded-for": spoofed, origin: proxy.url },
      });
      const { url } = (await response.json()) as { url: string };
      return new URL(url).searchParams.get("error");
    };
    for (let i = 0; i < 3; i += 1) {
      expect(await signIn(`nobody-${i}`, `203.0.113.${i}`)).toBe("invalid_credentials");
    }
    expect(await signIn("nobody-3", "203.0.113.99")).toMatch(/^too_many_attempts:\d+$/);
    await client.dispose();
  });
});
