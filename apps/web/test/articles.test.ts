// @module-tag browser
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, submitSignIn } from "./support/browser";
import { demoUsers, testServers } from "./support/context";

/**
 * The articles UI against the real reference API (issue 4, "Must show"): CRUD as an editor,
 * a reader's forbidden write, a 422 beside its field, and revoked tokens in the API sending
 * every tab to the sign-in page.
 */
const { webUrl, apiDatabasePath } = testServers();
const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const apiCli = path.join(repoRoot, "apps", "api", "dist", "cli.js");
const run = promisify(execFile);

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser.close();
});

async function signedIn(
  user: keyof typeof demoUsers,
  pathname = "/articles",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${webUrl}${pathname}`);
  await page.waitForURL(/\/login\?callbackUrl=/);
  await submitSignIn(page, demoUsers[user].username, demoUsers[user].password);
  await page.waitForURL(`${webUrl}${pathname}`);
  return { context, page };
}

const unique = () => Math.random().toString(36).slice(2, 8);
const listRow = (page: Page, title: string) =>
  page
    .getByTestId("article-row")
    .filter({ has: page.getByRole("link", { name: title, exact: true }) });

describe("articles", () => {
  it("alice creates, edits and deletes an article and sees each change in the list", async () => {
    const { page } = await signedIn("alice");
    const title = `Browser test ${unique()}`;

    // Create.
    await page.getByRole("link", { name: "New article" }).click();
    await page.waitForURL(`${webUrl}/articles/new`);
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Text").fill("First paragraph.\n\nSecond paragraph.");
    await page.getByLabel("Published").check();
    await page.getByRole("button", { name: "Create article" }).click();
    await page.waitForURL(/\/articles\/[0-9a-f-]{36}\?notice=created$/);
    await expect(page.getByTestId("article-heading").textContent()).resolves.toBe(title);
    await expect(page.getByRole("status").filter({ hasText: "created" }).count()).resolves.toBe(1);

    await page.getByRole("link", { name: "← All articles" }).click();
    await page.waitForURL(`${webUrl}/articles`);
    await listRow(page, title).waitFor();
    await expect(listRow(page, title).textContent()).resolves.toContain("Published");

    // Edit from the list: new title, not published any more.
    await listRow(page, title)
      .getByRole("link", { name: `Edit “${title}”` })
      .click();
    await page.waitForURL(/\/articles\/[0-9a-f-]{36}\/edit$/);
    const edited = `${title} (edited)`;
    await page.getByLabel("Title").fill(edited);
    await page.getByLabel("Published").uncheck();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(/\/articles\/[0-9a-f-]{36}\?notice=saved$/);
    await expect(page.getByTestId("article-heading").textContent()).resolves.toBe(edited);

    await page.getByRole("link", { name: "← All articles" }).click();
    await listRow(page, edited).waitFor();
    await expect(listRow(page, edited).textContent()).resolves.toContain("Not published");
    await expect(listRow(page, title).count()).resolves.toBe(0);

    // Delete, after the confirmation step.
    await page.getByRole("link", { name: edited, exact: true }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this article?" });
    await dialog.waitFor();
    // Cancel first: nothing happens and focus returns to the button.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog.isVisible()).resolves.toBe(false);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.getByRole("button", { name: "Delete article" }).click();
    await page.waitForURL(`${webUrl}/articles?notice=deleted`);
    await page.getByText("The article was deleted.").waitFor();
    await expect(listRow(page, edited).count()).resolves.toBe(0);

    // The browser search (through the proxy) finds nothing with that title either.
    await page.getByLabel("Search titles").fill(edited);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("search-results").waitFor();
    await expect(page.getByTestId("search-results").textContent()).resolves.toContain(
      "No articles found.",
    );
  });

  it("a 422 from the API appears beside its field", async () => {
    const { page } = await signedIn("alice", "/articles/new");
    // Whitespace passes the browser's own `required` check; the API trims and refuses it.
    await page.getByLabel("Title").fill("   ");
    await page.getByRole("button", { name: "Create article" }).click();
    const message = page.locator("#article-title-error");
    await message.waitFor();
    await expect(message.textContent()).resolves.toBe("This value should not be null.");
    const title = page.getByLabel("Title");
    await expect(title.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(title.getAttribute("aria-describedby")).resolves.toContain("article-title-error");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("article-title");
    expect(page.url()).toBe(`${webUrl}/articles/new`);
  });

  it("B7 bob sees no create or edit buttons; a forbidden write says so and he stays signed in", async () => {
    const { page } = await signedIn("bob");
    await page.getByTestId("article-list").waitFor();
    await expect(page.getByRole("link", { name: "New article" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: /^Edit/ }).count()).resolves.toBe(0);

    await page.getByTestId("article-row").first().getByRole("link").first().click();
    await page.getByTestId("article-heading").waitFor();
    await expect(page.getByRole("button", { name: "Delete" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Edit" }).count()).resolves.toBe(0);

    // Straight to the form: the API refuses the write with 403.
    await page.goto(`${webUrl}/articles/new`);
    await page.getByTestId("role-hint").waitFor();
    await page.getByLabel("Title").fill(`Bob's attempt ${unique()}`);
    await page.getByRole("button", { name: "Create article" }).click();
    const denied = page.getByTestId("permission-message");
    await denied.waitFor();
    await expect(denied.textContent()).resolves.toContain(
      "You don't have permission to create articles.",
    );
    expect(page.url()).toBe(`${webUrl}/articles/new`);

    // Still signed in: the next navigation renders the list.
    await page.getByRole("link", { name: "← All articles" }).click();
    await page.waitForURL(`${webUrl}/articles`);
    await page.getByTestId("article-list").waitFor();
    const session = await page.evaluate(async () => {
      const response = await fetch("/api/auth/session");
      return (await response.json()) as { user?: { username?: string } };
    });
    expect(session.user?.username).toBe("bob");
  });

  it("A13 alice's tokens revoked in the API: her next action lands on /login, and her other tab follows", async () => {
    const revoke = () =>
      run(process.execPath, [apiCli, "user:revoke-tokens", "alice"], {
        env: { ...process.env, DATABASE_PATH: apiDatabasePath, LOG_LEVEL: "warn" },
      });

    // 1. A browser call through the proxy (the search): session_expired → sign-in page.
    const { context, page } = await signedIn("alice");
    const other = await context.newPage();
    await other.goto(`${webUrl}/account`);
    await other.getByTestId("user-username").waitFor();
    await revoke();

    await page.getByLabel("Search titles").fill("a");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(`${webUrl}/login?callbackUrl=%2Farticles&reason=expired`);
    await page.getByText("Your session ended, please sign in again.").waitFor();
    await other.waitForURL(/\/login\?callbackUrl=%2Faccount/);
    await other.getByLabel("Username").waitFor();

    // 2. A server render: the refused token goes through the refresh route, which ends it.
    await submitSignIn(page, demoUsers.alice.username, demoUsers.alice.password);
    await page.waitForURL(`${webUrl}/articles`);
    const articleLink = page.getByTestId("article-row").first().getByRole("link").first();
    const href = await articleLink.getAttribute("href");
    expect(href).toMatch(/^\/articles\/[0-9a-f-]{36}$/);
    await revoke();
    await page.goto(`${webUrl}${href ?? ""}`);
    await page.waitForURL(`${webUrl}/login?callbackUrl=${encodeURIComponent(href ?? "")}`);
    await page.getByLabel("Username").waitFor();
    const state = await page.evaluate(async (): Promise<unknown> =>
      (await fetch("/api/auth/session")).json(),
    );
    expect(state).toEqual({});
  });
});
