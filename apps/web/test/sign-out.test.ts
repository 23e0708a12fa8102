// @module-tag browser
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, sessionCookies, submitSignIn } from "./support/browser";
import { demoUsers, testServers, upstreamClient } from "./support/context";
import { tokensInCookie } from "./support/session-tokens";
import { ifStarted } from "../../../test-support/hooks.js";

const { webUrl, apiUrl, sessionSecret } = testServers();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await ifStarted(browser)?.close();
});

/** A request with a copied cookie header, as an attacker holding an old cookie would send. */
function withCookie(cookieHeader: string, extra: Record<string, string> = {}) {
  return { headers: { cookie: cookieHeader, ...extra }, redirect: "manual" as const };
}

describe("protected pages", () => {
  it("send a signed-out visitor to /login?callbackUrl=… and back after sign-in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${webUrl}/account`);
    expect(page.url()).toBe(`${webUrl}/login?callbackUrl=%2Faccount`);
    await submitSignIn(page, demoUsers.admin.username, demoUsers.admin.password);
    await page.waitForURL(`${webUrl}/account`);
    expect(await page.getByTestId("user-roles").textContent()).toContain("administrator");
    await context.close();
  });

  it("A16 give nothing to a request without a session, even with x-middleware-subrequest", async () => {
    const headers = {
      "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
    };
    for (const variant of [
      headers,
      { ...headers, RSC: "1" },
      { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
    ]) {
      const response = await fetch(`${webUrl}/account`, { headers: variant, redirect: "manual" });
      const body = await response.text();
      expect([307, 308, 303]).toContain(response.status);
      expect(response.headers.get("location")).toContain("/login");
      expect(body).not.toContain("Signed in as");
    }
    const api = await fetch(`${webUrl}/api/me`, { headers });
    expect(api.status).toBe(401);
  });
});

describe("sign-out", () => {
  it("A9 moves other tabs to /login, revokes the upstream refresh token and kills the old cookie", async () => {
    const context = await browser.newContext();
    const tabA = await context.newPage();
    await tabA.goto(`${webUrl}/login?callbackUrl=%2Faccount`);
    await submitSignIn(tabA, demoUsers.alice.username, demoUsers.alice.password);
    await tabA.waitForURL(`${webUrl}/account`);
    const tabB = await context.newPage();
    await tabB.goto(`${webUrl}/account`);
    await expect.poll(() => tabB.getByTestId("user-username").textContent()).toBe("alice");

    const cookies = await sessionCookies(context);
    const oldCookie = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
    const { refreshToken } = await tokensInCookie(cookies, sessionSecret);
    expect((await fetch(`${webUrl}/api/me`, withCookie(oldCookie))).status).toBe(200);

    await tabA.bringToFront();
    const signOutAnswer = tabA.waitForResponse(
      (r) => r.url().endsWith("/api/auth/signout") && r.request().method() === "POST",
    );
    await tabA.getByRole("button", { name: "Sign out", exact: true }).click();
    const signOutHeaders = await (await signOutAnswer).allHeaders();
    expect(signOutHeaders["cache-control"]).toBe("no-store");
    expect(signOutHeaders["clear-site-data"]).toBe('"cache"');
    await tabA.waitForURL(/\/login/);
    await tabB.waitForURL(/\/login\?callbackUrl=%2Faccount/, { timeout: 5_000 });
    expect(await sessionCookies(context)).toEqual([]);

    // The upstream refresh token no longer works.
    const refresh = await fetch(`${apiUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: upstreamClient.id,
        client_secret: upstreamClient.secret,
      }),
    });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error?: string }).error).toBe("invalid_grant");

    // The copied cookie gets neither protected pages nor data.
    const pageResponse = await fetch(`${webUrl}/account`, withCookie(oldCookie));
    expect(pageResponse.status).toBe(307);
    expect(pageResponse.headers.get("location")).toContain("/login");
    const bypass = await fetch(
      `${webUrl}/account`,
      withCookie(oldCookie, { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" }),
    );
    expect(await bypass.text()).not.toContain("Signed in as");
    expect((await fetch(`${webUrl}/api/me`, withCookie(oldCookie))).status).toBe(401);
    const session = await fetch(`${webUrl}/api/auth/session`, withCookie(oldCookie));
    expect(await session.json()).toEqual({});
    await context.close();
  });
});

describe("sign out everywhere", () => {
  it("A13 ends the person's sessions on other devices too", async () => {
    const devices = [await browser.newContext(), await browser.newContext()];
    const cookies: string[] = [];
    for (const device of devices) {
      const page = await device.newPage();
      await page.goto(`${webUrl}/login?callbackUrl=%2Faccount`);
      await submitSignIn(page, demoUsers.bob.username, demoUsers.bob.password);
      await page.waitForURL(`${webUrl}/account`);
      const parts = await sessionCookies(device);
      cookies.push(parts.map((cookie) => `${cookie.name}=${cookie.value}`).join("; "));
    }
    for (const cookie of cookies) {
      expect((await fetch(`${webUrl}/api/me`, withCookie(cookie))).status).toBe(200);
    }
    const [first] = devices;
    const page = first?.pages()[0];
    await page?.getByRole("button", { name: "Sign out everywhere" }).click();
    await page?.waitForURL(/\/login/);
    for (const cookie of cookies) {
      expect((await fetch(`${webUrl}/api/me`, withCookie(cookie))).status).toBe(401);
    }
    for (const device of devices) await device.close();
  });
});
