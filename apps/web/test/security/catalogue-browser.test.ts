// @module-tag browser
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, sessionCookies, submitSignIn } from "../support/browser";
import { demoUsers, testServers } from "../support/context";
import { tokensInCookie } from "../support/session-tokens";
import { sessionCookieHeader, signInOverHttp } from "./http-signin";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * Catalogue cases where what a page can see matters, in the browser against the running web
 * app (production build) and the reference API: A1 (no token reaches browser JavaScript) and
 * B3 (CSRF on the proxy, over HTTP and from another site's page). The other catalogue cases
 * are in the `catalogue-*.test.ts` files next to this one; cases covered elsewhere are mapped
 * in docs/security.md.
 */

const { webUrl, sessionSecret } = testServers();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await ifStarted(browser)?.close();
});

describe("A1 tokens never reach browser JavaScript", () => {
  it("A1 session JSON, HTML, RSC payloads and browser storage hold no token (and nothing eyJ-shaped)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies: string[] = [];
    page.on("response", (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (/text\/html|text\/x-component|json|javascript/.test(type)) {
        void response
          .text()
          .then((text) => bodies.push(text))
          .catch(() => undefined);
      }
    });
    await page.goto(`${webUrl}/login?callbackUrl=%2Farticles`);
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    await page.waitForURL(`${webUrl}/articles`);
    // Client navigations fetch RSC payloads.
    await page.getByRole("link", { name: "Account", exact: true }).click();
    await page.waitForURL(`${webUrl}/account`);
    await page.getByTestId("user-roles").waitFor();
    await page.goto(`${webUrl}/connection`);
    await page.waitForLoadState("networkidle");
    const seen = await page.evaluate(async () => {
      const session = await (await fetch("/api/auth/session")).text();
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a plain copy of the stored items is the point
      const storage = JSON.stringify([{ ...localStorage }, { ...sessionStorage }]);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- feature check: not every browser has indexedDB.databases()
      const databases = (await indexedDB.databases?.()) ?? [];
      return {
        session,
        storage,
        cookie: document.cookie,
        html: document.documentElement.outerHTML,
        databases: databases.length,
      };
    });
    const tokens = await tokensInCookie(await sessionCookies(context), sessionSecret);
    const everything = [seen.session, seen.storage, seen.cookie, seen.html, ...bodies].join("\n");
    expect(bodies.length).toBeGreaterThan(3);
    expect(everything).not.toContain(tokens.accessToken);
    expect(everything).not.toContain(tokens.refreshToken);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(seen.session).not.toMatch(/"(accessToken|refreshToken|id_token|access_token)"/);
    expect(seen.databases).toBe(0);
    await context.close();
  });
});

describe("B3 CSRF on the proxy", () => {
  const article = JSON.stringify({
    data: { type: "node--article", attributes: { title: "csrf attempt" } },
  });
  it("B3 cross-origin, cross-site, simple content types and missing X-CSRF are refused before the API", async () => {
    const alice = sessionCookieHeader(
      await signInOverHttp(webUrl, demoUsers.alice.username, demoUsers.alice.password),
    );
    const cases: Array<[Record<string, string>, number[]]> = [
      [{ "content-type": "text/plain", origin: "http://evil.example" }, [403]],
      [
        { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example" },
        [403],
      ],
      [
        {
          "content-type": "application/vnd.api+json",
          origin: "http://evil.example",
          "x-csrf": "1",
        },
        [403],
      ],
      [
        {
          "content-type": "application/vnd.api+json",
          "sec-fetch-site": "cross-site",
          "x-csrf": "1",
        },
        [403],
      ],
      [
        {
          "content-type": "application/vnd.api+json",
          "sec-fetch-site": "same-site",
          "x-csrf": "1",
        },
        [403],
      ],
      [{ "content-type": "application/vnd.api+json", origin: webUrl }, [403]],
      [{ "content-type": "text/plain", origin: webUrl, "x-csrf": "1" }, [415]],
    ];
    for (const [headers, statuses] of cases) {
      const response = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
        method: "POST",
        headers: { cookie: alice, ...headers },
        body: article,
      });
      await response.text();
      expect(statuses, JSON.stringify(headers)).toContain(response.status);
    }
    const list = await fetch(
      `${webUrl}/api/upstream/jsonapi/node/article?filter[title]=csrf%20attempt`,
      { headers: { cookie: alice, "x-csrf": "1" } },
    );
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("B3 browser: an auto-submitted text/plain form from another site creates nothing", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${webUrl}/login?callbackUrl=%2Farticles`);
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    await page.waitForURL(`${webUrl}/articles`);
    // The attacker's page, on another site (localhost is not the same site as 127.0.0.1).
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<form method="POST" enctype="text/plain" action="${webUrl}/api/upstream/jsonapi/node/article">
<input name='{"data":{"type":"node--article","attributes":{"title":"browser csrf","x":"' value='"}}}'></form>
<script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const { port } = evil.address() as AddressInfo;
    const answer = page.waitForResponse((response) => response.url().includes("/api/upstream/"));
    await page.goto(`http://localhost:${port}/`);
    const response = await answer;
    expect([401, 403, 415]).toContain(response.status());
    evil.close();
    await page.goto(`${webUrl}/articles`);
    const check = await page.evaluate(async () => {
      const res = await fetch("/api/upstream/jsonapi/node/article?filter[title]=browser%20csrf", {
        headers: { "X-CSRF": "1" },
      });
      return ((await res.json()) as { data: unknown[] }).data.length;
    });
    expect(check).toBe(0);
    await context.close();
  });
});
