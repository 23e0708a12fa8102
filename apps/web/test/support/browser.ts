import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { systemProgram } from "../../../../test-support/prerequisites.js";

/** Debian's chromium (Playwright's own browser download does not work on these machines). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: systemProgram("browser"),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Fills and submits the sign-in form on the page the browser is on. */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The session cookie(s) of the context: the whole cookie or its chunks. */
export async function sessionCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  return cookies.filter((cookie) => cookie.name.includes("next-auth.session-token"));
}
