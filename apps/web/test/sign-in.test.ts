// @module-tag browser
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, sessionCookies, submitSignIn } from "./support/browser";
import { demoUsers, testServers } from "./support/context";
import { tokensInCookie } from "./support/session-tokens";
import { ifStarted } from "../../../test-support/hooks.js";

const { webUrl, sessionSecret } = testServers();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await ifStarted(browser)?.close();
});

describe("sign-in", () => {
  it("a first visit logs no error in the console and fetches nothing that is missing", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${webUrl}/login`, { waitUntil: "networkidle" });
    // The app's icon is what the browser asks for instead of /favicon.ico.
    expect(await page.locator('link[rel="icon"]').getAttribute("href")).toMatch(/^\/icon\.svg/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("C2 shows the message for a wrong password and sets no session cookie", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${webUrl}/login?callbackUrl=%2Faccount`);
    await submitSignIn(page, demoUsers.alice.username, "not-the-password");
    await expect
      .poll(() => page.locator("#login-error").textContent())
      .toContain("The username or password is not correct.");
    expect(page.url()).toContain("/login");
    expect(await sessionCookies(context)).toEqual([]);
    await context.close();
  });

  it("C1 says when to retry once the upstream locks the account (429 Retry-After)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${webUrl}/login`);
    const error = page.locator("#login-error");
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const answered = page.waitForResponse((r) => r.url().includes("/api/auth/callback/"));
      await submitSignIn(page, "locked-out-user", `wrong-${attempt}`);
      await answered;
      await expect.poll(() => error.textContent()).toBeTruthy();
      if ((await error.textContent())?.includes("Too many")) break;
    }
    expect(await error.textContent()).toBe(
      // The API's window for an account and address: 6 h, as Drupal's flood control.
      "Too many sign-in attempts. Please try again in 6 hours.",
    );
    await context.close();
  });

  describe("with the right password", () => {
    let context: BrowserContext;
    let page: Page;
    const bodies: string[] = [];

    beforeAll(async () => {
      context = await browser.newContext();
      page = await context.newPage();
      // Keep every document and fetch body the browser receives (HTML, RSC, JSON).
      page.on("response", (response) => {
        const type = response.request().resourceType();
        if (["document", "fetch", "xhr"].includes(type)) {
          bodies.push(`${response.url()}\n`);
          response.text().then(
            (text) => bodies.push(text),
            () => undefined,
          );
        }
      });
      await page.goto(`${webUrl}/login?callbackUrl=%2Faccount`);
      await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
      await page.waitForURL(`${webUrl}/account`);
    });
    afterAll(async () => {
      await context.close();
    });

    it("lands on the page asked for, showing the user and roles", async () => {
      await expect.poll(() => page.getByTestId("user-username").textContent()).toBe("alice");
      expect(await page.getByTestId("user-roles").textContent()).toContain("editor");
      expect(await page.getByTestId("access-token-expiry").textContent()).toMatch(/^in \d/);
    });

    it("keeps the session on reload", async () => {
      await page.reload();
      expect(page.url()).toBe(`${webUrl}/account`);
      await expect.poll(() => page.getByTestId("user-username").textContent()).toBe("alice");
    });

    it("A2 sets one httpOnly, SameSite=Lax session cookie of at most 4,096 bytes", async () => {
      const cookies = await sessionCookies(context);
      expect(cookies.map((cookie) => cookie.name)).toEqual(["next-auth.session-token"]);
      const [cookie] = cookies;
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe("Lax");
      expect(cookie?.path).toBe("/");
      expect(`${cookie?.name ?? ""}=${cookie?.value ?? ""}`.length).toBeLessThanOrEqual(4096);
    });

    it("A1 never lets browser code read the cookie or a token", async () => {
      const { accessToken, refreshToken } = await tokensInCookie(
        await sessionCookies(context),
        sessionSecret,
      );
      expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");

      const fromBrowser = await page.evaluate(async () => {
        const session = await (await fetch("/api/auth/session")).text();
        const rsc = await (await fetch("/account", { headers: { RSC: "1" } })).text();
        const html = document.documentElement.outerHTML;
        // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a plain copy of the stored items is the point
        const storage = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });
        return { session, rsc, html, storage };
      });
      expect(fromBrowser.session).toContain('"username":"alice"');
      expect(fromBrowser.rsc.length).toBeGreaterThan(100);
      const everything = [...Object.values(fromBrowser), ...bodies].join("\n");
      // Compare with the real values, and with the shape of the JWT access token.
      expect(everything).not.toContain(accessToken);
      expect(everything).not.toContain(refreshToken);
      expect(everything).not.toContain(accessToken.slice(0, 40));
      expect(everything).not.toMatch(/"(accessToken|refreshToken)"/);
    });
  });
});
