// @module-tag browser
import type { Browser } from "playwright-core";
import { NextRequest, NextResponse } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageContentSecurityPolicy, withContentSecurityPolicy } from "../../lib/security-headers";
import { launchBrowser, submitSignIn } from "../support/browser";
import { demoUsers, testServers } from "../support/context";
import { sessionCookieHeader, signInOverHttp } from "./http-signin";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * E1: security headers on every kind of answer of the web app: HTML pages (public, protected,
 * /login, the 404 page, a redirect), API routes (next-auth, our own, the upstream proxy) and
 * the browser's view of them (no CSP violation on real pages, the nonce on Next's scripts).
 */

const { webUrl } = testServers();
let browser: Browser;
let cookie: string;

beforeAll(async () => {
  browser = await launchBrowser();
  cookie = sessionCookieHeader(
    await signInOverHttp(webUrl, demoUsers.bob.username, demoUsers.bob.password),
  );
});
afterAll(async () => {
  await ifStarted(browser)?.close();
});

function directives(policy: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (policy ?? "").split(";")) {
    const [name = "", ...values] = part.trim().split(/\s+/);
    if (name !== "") map.set(name, values.join(" "));
  }
  return map;
}

function expectStaticHeaders(headers: Headers, where: string): void {
  expect(headers.get("x-content-type-options"), where).toBe("nosniff");
  expect(headers.get("referrer-policy"), where).toMatch(
    /^(no-referrer|same-origin|strict-origin-when-cross-origin)$/,
  );
  expect(headers.get("cross-origin-opener-policy"), where).toBe("same-origin");
  expect(headers.get("x-frame-options"), where).toBe("DENY");
  // Plain http here (NEXTAUTH_URL is http): no HSTS.
  expect(headers.get("strict-transport-security"), where).toBeNull();
}

function expectPagePolicy(headers: Headers, where: string): string {
  const policy = headers.get("content-security-policy");
  const csp = directives(policy);
  expect(csp.get("frame-ancestors"), where).toBe("'none'");
  expect(csp.get("object-src"), where).toBe("'none'");
  expect(csp.get("base-uri"), where).toBe("'none'");
  const script = csp.get("script-src") ?? "";
  expect(script, where).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(script, where).toContain("'strict-dynamic'");
  expect(script, where).not.toContain("'unsafe-inline'");
  expect(script, where).not.toContain("'unsafe-eval'");
  return /'nonce-([^']+)'/.exec(script)?.[1] ?? "";
}

describe("E1 security headers", () => {
  const pages = [
    ["/", "public page"],
    ["/login", "sign-in page"],
    ["/login?callbackUrl=%2Farticles&error=CredentialsSignin", "sign-in page with an error"],
    ["/no-such-page", "404 page"],
    ["/articles/not-an-id", "protected page with a bad id"],
    ["/account", "protected page"],
    ["/articles", "protected list"],
  ] as const;

  it.each(pages)(
    "E1 %s (%s): nonce CSP, frame-ancestors/object-src/base-uri 'none', static headers",
    async (path) => {
      for (const withSession of [false, true]) {
        const response = await fetch(`${webUrl}${path}`, {
          headers: withSession ? { cookie } : {},
          redirect: "manual",
        });
        const where = `${path} ${withSession ? "signed in" : "signed out"} → ${response.status}`;
        const html = await response.text();
        expect(response.status, where).toBeLessThan(500);
        expectStaticHeaders(response.headers, where);
        const nonce = expectPagePolicy(response.headers, where);
        if (response.status === 200) {
          // Every script tag of the page carries this request's nonce.
          const scripts = html.match(/<script\b[^>]*>/g) ?? [];
          expect(scripts.length, where).toBeGreaterThan(0);
          for (const tag of scripts) expect(tag, where).toContain(`nonce="${nonce}"`);
        }
      }
    },
  );

  it("E1 the nonce is new on every request", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${webUrl}/login`);
      await response.text();
      nonces.add(expectPagePolicy(response.headers, "/login"));
    }
    expect(nonces.size).toBe(5);
  });

  it.each([
    ["/api/auth/session", "GET"],
    ["/api/auth/csrf", "GET"],
    ["/api/auth/providers", "GET"],
    ["/api/auth/signout", "GET"],
    ["/api/me", "GET"],
    ["/api/upstream/jsonapi/node/article", "GET"],
    ["/api/upstream/..%2foauth/token", "GET"],
    ["/api/session/refresh", "GET"],
    ["/api/no-such-route", "GET"],
  ])("E1 API %s: nosniff, no framing, a CSP without scripts", async (path, method) => {
    for (const withSession of [false, true]) {
      const response = await fetch(`${webUrl}${path}`, {
        method,
        headers: { "x-csrf": "1", ...(withSession ? { cookie } : {}) },
        redirect: "manual",
      });
      await response.text();
      const where = `${path} → ${response.status}`;
      expect(response.status, where).toBeLessThan(500);
      expectStaticHeaders(response.headers, where);
      const csp = directives(response.headers.get("content-security-policy"));
      expect(csp.get("default-src"), where).toBe("'none'");
      expect(csp.get("frame-ancestors"), where).toBe("'none'");
      expect(csp.has("script-src") && csp.get("script-src") !== "'none'", where).toBe(false);
    }
  });

  it("E1 browser: sign-in, the article list, an article and the 404 page run with no CSP violation", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        const report = (window as unknown as { reportViolation: (text: string) => void })
          .reportViolation;
        report(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
      });
    });
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${webUrl}/login?callbackUrl=%2Farticles`);
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    await page.waitForURL(`${webUrl}/articles`);
    // Hydrated: client navigation works (a script-blocked page would do a full load or nothing).
    await page.getByRole("link", { name: "Account", exact: true }).click();
    await page.waitForURL(`${webUrl}/account`);
    await page.getByTestId("user-roles").waitFor();
    await page.goto(`${webUrl}/no-such-page`);
    await page.goto(`${webUrl}/`);
    expect(violations).toEqual([]);
    await context.close();
  });
});

describe("E1 HSTS and the policy under https (NEXTAUTH_URL https)", () => {
  it("E1 withContentSecurityPolicy adds HSTS and upgrade-insecure-requests only for an https public URL", async () => {
    const saved = process.env.NEXTAUTH_URL;
    try {
      for (const [url, https] of [
        ["https://app.example", true],
        ["http://127.0.0.1:3000", false],
      ] as const) {
        process.env.NEXTAUTH_URL = url;
        for (const path of ["/login", "/api/auth/session"]) {
          let seen: NextRequest | undefined;
          const response = await withContentSecurityPolicy(
            new NextRequest(`http://127.0.0.1:3000${path}`),
            (request) => {
              seen = request;
              return Promise.resolve(NextResponse.next());
            },
          );
          const hsts = response.headers.get("strict-transport-security");
          if (https) {
            expect(hsts).toMatch(/max-age=(\d+); includeSubDomains/);
            expect(Number(/max-age=(\d+)/.exec(hsts ?? "")?.[1])).toBeGreaterThanOrEqual(
              31_536_000,
            );
          } else {
            expect(hsts).toBeNull();
          }
          if (path === "/login") {
            const policy = response.headers.get("content-security-policy") ?? "";
            expect(policy.includes("upgrade-insecure-requests")).toBe(https);
            // The render receives the same policy and the nonce as request headers.
            expect(seen?.headers.get("content-security-policy")).toBe(policy);
            expect(policy).toContain(`'nonce-${seen?.headers.get("x-nonce") ?? "missing"}'`);
            expect(response.headers.get("x-middleware-request-x-nonce")).toBe(
              seen?.headers.get("x-nonce"),
            );
          }
        }
      }
    } finally {
      process.env.NEXTAUTH_URL = saved;
    }
    const script = pageContentSecurityPolicy("abc", false)
      .split("; ")
      .find((part) => part.startsWith("script-src "));
    expect(script).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
  });
});
