import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redirectValues } from "../../../../test-support/redirect-values.js";
import { demoUsers, testServers } from "../support/context";
import { CookieJar, signInOverHttp } from "../support/refresh-servers";

/**
 * A4 (open redirect) against `next start`: generated `callbackUrl` values sent to every route
 * that redirects to a caller-supplied place, signed in and signed out, following every hop
 * with the cookies a browser would keep. No hop may leave the app's origin.
 */
const { webUrl } = testServers();
const origin = new URL(webUrl).origin;
const seed = Number(process.env.REDIRECT_SEED ?? Date.now() % 2 ** 31);
const values = [
  // The values of the report: `//evil.example` appears only once dot segments are removed.
  "/.//evil.example/x",
  "/./\\evil.example",
  ...fc.sample(redirectValues(origin), { numRuns: 30, seed }),
];

interface Hop {
  status: number;
  url: string;
}

/** Sends `init` to `url` and follows redirects by hand; every `Location` must stay on origin. */
async function follow(url: string, jar: CookieJar, init: RequestInit = {}): Promise<Hop[]> {
  const hops: Hop[] = [];
  let current = url;
  let request = init;
  for (let hop = 0; hop < 8; hop += 1) {
    const response = await fetch(current, {
      ...request,
      redirect: "manual",
      headers: { ...(request.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.apply(response);
    await response.arrayBuffer();
    hops.push({ status: response.status, url: current });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) return hops;
    const next = new URL(location, current);
    if (next.origin !== origin) {
      throw new Error(`left the app: ${current} → ${location} (seed ${seed})`);
    }
    current = next.href;
    request = {};
  }
  throw new Error(`more than 8 redirects from ${url} (seed ${seed})`);
}

async function csrfToken(jar: CookieJar): Promise<string> {
  const response = await fetch(`${webUrl}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.apply(response);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

const q = (value: string) => encodeURIComponent(value);

/** The routes, by how a caller reaches them with a `callbackUrl`. */
const getRoutes = {
  "/login": (value: string) => `${webUrl}/login?callbackUrl=${q(value)}`,
  "/api/session/refresh": (value: string) =>
    `${webUrl}/api/session/refresh?callbackUrl=${q(value)}`,
  "/api/auth/signin": (value: string) => `${webUrl}/api/auth/signin?callbackUrl=${q(value)}`,
};

describe(`A4 redirecting routes with generated callbackUrl values (seed ${seed})`, () => {
  it("signed in: every hop of every GET route stays on the app", async () => {
    const jar = await signInOverHttp(webUrl, demoUsers.bob.username, demoUsers.bob.password);
    for (const value of values) {
      for (const [route, url] of Object.entries(getRoutes)) {
        const hops = await follow(url(value), jar);
        expect(hops.at(-1)?.status, `${route} ${JSON.stringify(value)}`).toBeLessThan(500);
      }
    }
    // Still signed in after all of it.
    const account = await fetch(`${webUrl}/account`, {
      redirect: "manual",
      headers: { cookie: jar.header() },
    });
    expect(account.status).toBe(200);
  });

  it("signed out: every hop of every GET route stays on the app", async () => {
    for (const value of values) {
      for (const [route, url] of Object.entries(getRoutes)) {
        const hops = await follow(url(value), new CookieJar());
        expect(hops.at(-1)?.status, `${route} ${JSON.stringify(value)}`).toBeLessThan(500);
      }
    }
  });

  it("signing in (credentials callback) lands on the app", async () => {
    for (const value of values) {
      const jar = new CookieJar();
      const fields = {
        csrfToken: await csrfToken(jar),
        username: demoUsers.bob.username,
        password: demoUsers.bob.password,
        callbackUrl: value,
      };
      const hops = await follow(`${webUrl}/api/auth/callback/credentials`, jar, form(fields));
      expect(hops[0]?.status, JSON.stringify(value)).toBe(302);
      expect(jar.session(), JSON.stringify(value)).not.toBe("");
    }
  });

  it("signing out lands on the app", async () => {
    for (const value of values.slice(0, 10)) {
      const jar = await signInOverHttp(webUrl, demoUsers.bob.username, demoUsers.bob.password);
      const fields = { csrfToken: await csrfToken(jar), callbackUrl: value };
      const hops = await follow(`${webUrl}/api/auth/signout`, jar, form(fields));
      expect(hops[0]?.status, JSON.stringify(value)).toBe(302);
      expect(jar.session(), JSON.stringify(value)).toBe("");
    }
  });
});
