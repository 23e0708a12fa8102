import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReferenceApi } from "@next-token-bff/api";

/**
 * The example cannot rot: build it (`next build`), start the reference API in-process
 * (`@next-token-bff/api`) and `next start`, then sign in over plain HTTP through next-auth's
 * credentials callback (with its CSRF token) and read the protected page.
 */
const exampleDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.join(exampleDir, "..", "..");
const nextBin = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
const tscBin = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
const run = promisify(execFile);
const distDir = ".next-test";
const accessTokenTtl = 4;

let api: ReferenceApi | undefined;
let web: ChildProcess | undefined;
let webUrl = "";
let webOutput = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (web?.exitCode !== null) throw new Error(`next start exited:\n${webOutput}`);
    try {
      await fetch(url, { redirect: "manual" });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${webOutput}`);
}

/** `name=value` pairs from a response's Set-Cookie headers (cleared ones left out). */
function cookiesOf(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair?.indexOf("=") ?? -1;
    if (pair && at > 0 && at < pair.length - 1) jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}

const header = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

const sessionCookie = (jar: Map<string, string>) =>
  [...jar].find(([name]) => name.startsWith("next-auth.session-token"))?.[1];

/** next-auth's credentials sign-in over HTTP, as the login form does it: the browser's jar. */
async function signIn(username: string, password: string): Promise<Map<string, string>> {
  const csrf = await fetch(`${webUrl}/api/auth/csrf`);
  const jar = cookiesOf(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${webUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(jar) },
    body: new URLSearchParams({ csrfToken, username, password, json: "true" }),
  });
  for (const [name, value] of cookiesOf(response)) jar.set(name, value);
  return jar;
}

beforeAll(async () => {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  // The library and the API as the example uses them: built.
  await Promise.all([
    run(process.execPath, [tscBin, "-p", "packages/next-token-bff/tsconfig.build.json"], {
      cwd: repoRoot,
    }),
    run(process.execPath, [tscBin, "-p", "apps/api/tsconfig.build.json"], { cwd: repoRoot }),
  ]);
  await run(process.execPath, [nextBin, "build"], {
    cwd: exampleDir,
    env: { ...env, NEXT_DIST_DIR: distDir },
    maxBuffer: 16 * 1024 * 1024,
  });
  const { startReferenceApi } = await import("@next-token-bff/api");
  // Short access tokens, so the test sees them refreshed.
  api = await startReferenceApi({ accessTokenTtlSeconds: accessTokenTtl });
  const port = await freePort();
  webUrl = `http://127.0.0.1:${port}`;
  web = spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: exampleDir,
    env: {
      ...env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: distDir,
      NEXTAUTH_URL: webUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      UPSTREAM_URL: api.url,
      UPSTREAM_CLIENT_ID: api.clientId,
      UPSTREAM_CLIENT_SECRET: api.clientSecret,
      UPSTREAM_SCOPE: api.scope,
      REFRESH_SKEW_SECONDS: "1",
      // Required in production: no proxy in front of this `next start`.
      TRUSTED_PROXY_HOPS: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  web.stdout?.on("data", (chunk: Buffer) => (webOutput += chunk.toString()));
  web.stderr?.on("data", (chunk: Buffer) => (webOutput += chunk.toString()));
  await waitFor(`${webUrl}/`, 30_000);
});

afterAll(async () => {
  web?.kill("SIGTERM");
  await api?.close();
});

describe("examples/minimal", () => {
  it("sends a signed-out visitor of /articles to /login", async () => {
    const response = await fetch(`${webUrl}/articles`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(response.status);
    expect(new URL(response.headers.get("location") ?? "", webUrl).pathname).toBe("/login");
  });

  it("signs alice in through next-auth and lists the articles from the reference API", async () => {
    const csrf = await fetch(`${webUrl}/api/auth/csrf`);
    const jar = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await fetch(`${webUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(jar) },
      body: new URLSearchParams({
        csrfToken,
        username: "alice",
        password: "alice-password",
        callbackUrl: `${webUrl}/articles`,
        json: "true",
      }),
    });
    for (const [name, value] of cookiesOf(signIn)) jar.set(name, value);
    expect([...jar.keys()].some((name) => name.startsWith("next-auth.session-token"))).toBe(true);

    const page = await fetch(`${webUrl}/articles`, { headers: { cookie: header(jar) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1>Articles</h1>");
    expect(html.match(/<li>/g)?.length ?? 0).toBeGreaterThan(0);
    // Tokens stay on the server.
    expect(html).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);

    const proxied = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
      headers: { cookie: header(jar), "x-csrf": "1" },
    });
    expect(proxied.status).toBe(200);
  });

  it("refuses a wrong password", async () => {
    const csrf = await fetch(`${webUrl}/api/auth/csrf`);
    const jar = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await fetch(`${webUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(jar) },
      body: new URLSearchParams({ csrfToken, username: "alice", password: "wrong", json: "true" }),
    });
    expect([...cookiesOf(signIn).keys()].some((name) => name.includes("session-token"))).toBe(
      false,
    );
  });

  it("reads through next-drupal with the session's token, and sends a signed-out visitor to sign in", async () => {
    const jar = await signIn("alice", "alice-password");
    const page = await fetch(`${webUrl}/drupal`, { headers: { cookie: header(jar) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Articles through next-drupal");
    expect(html.match(/<li>/g)?.length ?? 0).toBeGreaterThan(0);
    expect(html).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);

    const signedOut = await fetch(`${webUrl}/drupal`, { redirect: "manual" });
    expect(new URL(signedOut.headers.get("location") ?? "", webUrl).pathname).toBe("/login");
  });

  it("refreshes an expired access token for a proxied read and for a page", async () => {
    const jar = await signIn("bob", "bob-password");
    const first = sessionCookie(jar);
    expect(first).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, (accessTokenTtl + 1) * 1000));

    const proxied = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
      headers: { cookie: header(jar), "x-csrf": "1" },
    });
    expect(proxied.status).toBe(200);
    for (const [name, value] of cookiesOf(proxied)) jar.set(name, value);
    const refreshed = sessionCookie(jar);
    expect(refreshed).toBeDefined();
    expect(refreshed).not.toBe(first);

    await new Promise((resolve) => setTimeout(resolve, (accessTokenTtl + 1) * 1000));
    const page = await fetch(`${webUrl}/articles`, { headers: { cookie: header(jar) } });
    expect(page.status).toBe(200);
    expect(cookiesOf(page).size).toBeGreaterThan(0);
    expect(await page.text()).toContain("<h1>Articles</h1>");
  });
});
