import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { COOKIE, me, signInBob } from "../support/catalogue";
import { demoUsers, testServers } from "../support/context";

/**
 * Catalogue cases of sessions and authorization, over real HTTP against the running web app
 * (production build) and the reference API: forced logout (A10), JWEs without our claims
 * (A12), guessable secrets (A14), malformed Authorization headers (A15), authorization on
 * every page and route (A16) and Server Actions (A17). Cases covered elsewhere are mapped in
 * docs/security.md.
 */

const { webUrl, apiUrl, sessionSecret } = testServers();
let bob: string;

beforeAll(async () => {
  bob = await signInBob();
});

describe("A10 forced logout", () => {
  it("A10 GET /api/auth/signout and a cross-site POST without csrfToken leave the session alive", async () => {
    const get = await fetch(`${webUrl}/api/auth/signout`, {
      headers: { cookie: bob },
      redirect: "manual",
    });
    await get.text();
    expect(get.headers.getSetCookie().some((line) => line.startsWith(`${COOKIE}=;`))).toBe(false);
    const post = await fetch(`${webUrl}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: bob,
        origin: "http://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "",
    });
    await post.text();
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toContain("csrf=true");
    expect((await me(bob)).status).toBe(200);
  });
});

describe("A12 existence-only session checks", () => {
  it("A12 a JWE encrypted with the real secret but without our claims is no session anywhere", async () => {
    for (const payload of [
      {},
      { name: "mock", sub: "1" },
      { user: { roles: ["administrator"] } },
    ]) {
      const cookie = `${COOKIE}=${await encode({ token: payload, secret: sessionSecret })}`;
      expect((await me(cookie)).status).toBe(401);
      const page = await fetch(`${webUrl}/account`, { headers: { cookie }, redirect: "manual" });
      expect(page.headers.get("location") ?? "").toContain("/login");
      const proxied = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
        headers: { cookie, "x-csrf": "1" },
      });
      expect(proxied.status).toBe(401);
      const session = await (
        await fetch(`${webUrl}/api/auth/session`, { headers: { cookie } })
      ).text();
      expect(session).not.toContain("mock");
      expect(session).not.toContain("administrator");
    }
  });
});

describe("A14 NEXTAUTH_SECRET", () => {
  it("A14 a real session cookie does not open with common or example secrets", async () => {
    const [, value = ""] = bob.split("=");
    const { decode } = await import("next-auth/jwt");
    for (const secret of [
      "secret",
      "changeme",
      "development-secret",
      "next-token-bff-demo-secret-change-me",
      "0123456789abcdef0123456789abcdef",
      "",
    ]) {
      const claims = await decode({ token: value, secret }).catch(() => null);
      expect(claims).toBeNull();
    }
  });
});

describe("A15 malformed Authorization headers on session-reading routes", () => {
  it("A15 Bearer %, broken UTF-8, 16 KB and a raw upstream token: 401, never 500, never a session", async () => {
    const token = await fetch(`${apiUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: "next-web",
        client_secret: "next-web-secret",
        username: demoUsers.bob.username,
        password: demoUsers.bob.password,
        scope: "reader",
      }).toString(),
    });
    const { access_token: raw } = (await token.json()) as { access_token: string };
    for (const authorization of [
      "Bearer %",
      "Bearer %E0%A4%A",
      `Bearer ${"a".repeat(16 * 1024)}`,
      `Bearer ${raw}`,
      raw,
    ]) {
      for (const path of ["/api/me", "/api/upstream/jsonapi/node/article", "/api/auth/session"]) {
        const response = await fetch(`${webUrl}${path}`, {
          headers: { authorization, "x-csrf": "1" },
        });
        const text = await response.text();
        expect(response.status, path).toBeLessThan(500);
        if (path === "/api/auth/session") expect(text).not.toContain("bob");
        // Node refuses a 16 KB header line itself (431) before any of our code runs.
        else expect([401, 431], path).toContain(response.status);
      }
    }
  });
});

describe("A16 authorization is checked by every page and route, not only proxy.ts", () => {
  const variants: Array<[string, Record<string, string>]> = [
    [
      "/account",
      {
        "x-middleware-subrequest":
          "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
      },
    ],
    ["/account", { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" }],
    ["/account", { RSC: "1" }],
    ["/account", { RSC: "1", "Next-Router-Prefetch": "1" }],
    ["/account", { "x-nextjs-data": "1" }],
    ["/account.rsc", { RSC: "1" }],
    ["/account/index.rsc", { RSC: "1" }],
    ["/account.segments/account/__PAGE__.segment.rsc", { RSC: "1", "Next-Router-Prefetch": "1" }],
    ["/account/", {}],
    ["/%61ccount", {}],
    ["/en/account", {}],
    ["/account?nxtPpath=x&nxtPid=1", {}],
    ["/articles/new", { RSC: "1" }],
    [
      "/connection",
      { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    ],
  ];
  it.each(variants)(
    "A16 %s %j without a session: a login redirect or 404, no user data",
    async (path, headers) => {
      const response = await fetch(`${webUrl}${path}`, { headers, redirect: "manual" });
      const body = await response.text();
      expect(response.status).toBeLessThan(500);
      expect(response.status === 200 && !body.includes("/login") ? body : "").not.toMatch(
        /Signed in as|user-roles|alice|administrator/,
      );
      expect(body).not.toMatch(/Signed in as|data-testid="user-roles"/);
      if (response.status >= 300 && response.status < 400) {
        // `/account/` is first normalised to `/account` (308), which then goes to /login.
        const location = response.headers.get("location") ?? "";
        if (!location.includes("/login")) {
          const next = await fetch(new URL(location, webUrl), { headers, redirect: "manual" });
          await next.text();
          expect(next.headers.get("location")).toContain("/login");
        }
      }
    },
  );

  it("A16 with a reader's session, an editor's page gives no editor controls and API writes are refused", async () => {
    const page = await fetch(`${webUrl}/articles/new`, {
      headers: { cookie: bob },
      redirect: "manual",
    });
    await page.text();
    // The page may show the form; the write itself is what the API refuses.
    expect(page.status).toBeLessThan(500);
    const write = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
      method: "POST",
      headers: {
        cookie: bob,
        "x-csrf": "1",
        origin: webUrl,
        "content-type": "application/vnd.api+json",
        "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy",
      },
      body: JSON.stringify({ data: { type: "node--article", attributes: { title: "A16" } } }),
    });
    await write.text();
    expect(write.status).toBe(403);
  });
});

describe("A17 Server Actions", () => {
  it("A17 the app has none: an action request from another origin changes nothing and does not crash", async () => {
    for (const origin of ["http://evil.example", undefined]) {
      const response = await fetch(`${webUrl}/account`, {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie: bob,
          "next-action": "0".repeat(40),
          "content-type": "text/plain;charset=UTF-8",
          ...(origin === undefined ? {} : { origin }),
        },
        body: "[]",
      });
      await response.text();
      expect(response.status).not.toBe(200);
      expect(response.status).toBeLessThan(500);
    }
  });
});
