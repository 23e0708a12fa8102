import { beforeAll, describe, expect, it } from "vitest";
import { COOKIE, me, signInBob } from "../support/catalogue";
import { demoUsers, testServers } from "../support/context";
import { tokensInCookie } from "../support/session-tokens";
import {
  absorb,
  csrfToken,
  newJar,
  postCredentials,
  rawRequest,
  sessionCookieHeader,
  signInOverHttp,
} from "./http-signin";

/**
 * Catalogue cases of sign-in and its cookies, over real HTTP against the running web app
 * (production build) and the reference API: cookie attributes (A2), cookie tossing (A3),
 * callbackUrl open redirects (A4), Host poisoning (A5), login CSRF (A6) and client-driven
 * session updates (A7). Cases covered elsewhere are mapped in docs/security.md.
 */

const { webUrl, sessionSecret } = testServers();
let bob: string;

beforeAll(async () => {
  bob = await signInBob();
});

describe("A2 cookie attributes", () => {
  it("A2 the csrf and callback-url cookies are HttpOnly, SameSite=Lax, Path=/, without Domain", async () => {
    const jar = newJar();
    const response = await fetch(`${webUrl}/api/auth/csrf`);
    absorb(jar, response);
    await response.text();
    const token = await csrfToken(webUrl, jar);
    const signIn = await postCredentials(webUrl, jar, {
      csrfToken: token,
      username: demoUsers.bob.username,
      password: demoUsers.bob.password,
      callbackUrl: `${webUrl}/account`,
      json: "true",
    });
    const lines = [...response.headers.getSetCookie(), ...signIn.headers.getSetCookie()];
    expect(lines.some((line) => line.startsWith("next-auth.csrf-token="))).toBe(true);
    expect(lines.some((line) => line.startsWith(`${COOKIE}=`))).toBe(true);
    for (const line of lines) {
      expect(line).toMatch(/; HttpOnly/i);
      expect(line).toMatch(/; SameSite=Lax/i);
      expect(line).toMatch(/; Path=\//i);
      expect(line).not.toMatch(/; Domain=/i);
    }
  });
});

describe("A3 cookie tossing and injected chunks", () => {
  it("A3 a bogus extra chunk or a tossed __Secure- cookie never signs in as someone else and never 500s", async () => {
    const [, value = ""] = bob.split("=");
    // A valid cookie plus a bogus `.2` chunk: no 500; whatever is read is bob or nobody.
    for (const cookie of [
      `${bob}; ${COOKIE}.2=garbage`,
      `${COOKIE}.0=${value.slice(0, 100)}; ${COOKIE}.1=${value.slice(100)}; ${COOKIE}.2=x`,
      `${COOKIE}.0=garbage; ${COOKIE}.1=more`,
    ]) {
      const result = await me(cookie);
      expect(result.status === 401 || result.text.includes('"username":"bob"'), cookie).toBe(true);
      const page = await fetch(`${webUrl}/account`, { headers: { cookie }, redirect: "manual" });
      expect(page.status).toBeLessThan(500);
    }
    // A session cookie under another name (a sibling subdomain's __Secure-/Domain cookie) is ignored.
    expect((await me(`__Secure-${COOKIE}=${value}`)).status).toBe(401);
    expect((await me(`__Host-${COOKIE}=${value}`)).status).toBe(401);
  });
});

describe("A4 open redirect through callbackUrl (next-auth routes)", () => {
  const evil = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "https:evil.example",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "http://[",
  ];
  it.each(evil)(
    "A4 callbackUrl=%s: signin and the credentials callback stay on our origin",
    async (target) => {
      const signin = await fetch(
        `${webUrl}/api/auth/signin?callbackUrl=${encodeURIComponent(target)}`,
        { redirect: "manual" },
      );
      await signin.text();
      expect(signin.status).toBeLessThan(500);
      const location = signin.headers.get("location");
      if (location !== null) expect(new URL(location, webUrl).origin).toBe(webUrl);

      const jar = newJar();
      const token = await csrfToken(webUrl, jar);
      const response = await postCredentials(webUrl, jar, {
        csrfToken: token,
        username: demoUsers.bob.username,
        password: demoUsers.bob.password,
        callbackUrl: target,
        json: "true",
      });
      expect(response.status).toBeLessThan(500);
      const body = (await response.json()) as { url?: string };
      if (body.url !== undefined) expect(new URL(body.url, webUrl).origin).toBe(webUrl);
      const callbackCookie = jar.cookies.get("next-auth.callback-url");
      if (callbackCookie !== undefined) {
        expect(new URL(decodeURIComponent(callbackCookie), webUrl).origin).toBe(webUrl);
      }
    },
  );
});

describe("A5 Host and forwarded-host poisoning", () => {
  it("A5 redirects and URLs of next-auth use NEXTAUTH_URL whatever Host / X-Forwarded-* say", async () => {
    const poison = {
      host: "evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
    };
    const signin = await rawRequest(`${webUrl}/api/auth/signin`, { headers: poison });
    expect(signin.status).toBeLessThan(500);
    const location = String(signin.headers.location ?? "");
    if (location !== "") expect(new URL(location, webUrl).origin).toBe(webUrl);
    expect(signin.body).not.toContain("evil.example");

    const jar = newJar();
    const token = await csrfToken(webUrl, jar);
    const victim = sessionCookieHeader(
      await signInOverHttp(webUrl, demoUsers.bob.username, demoUsers.bob.password),
    );
    const signout = await rawRequest(`${webUrl}/api/auth/signout`, {
      method: "POST",
      headers: {
        ...poison,
        cookie: `${jar.header()}; ${victim}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrfToken: token, json: "true" }).toString(),
    });
    expect(signout.status).toBeLessThan(500);
    expect(`${signout.body}${String(signout.headers.location ?? "")}`).not.toContain(
      "evil.example",
    );
    const providers = await rawRequest(`${webUrl}/api/auth/providers`, { headers: poison });
    expect(providers.body).not.toContain("evil.example");
    expect(providers.body).toContain(webUrl);
  });
});

describe("A6 login CSRF on the credentials callback", () => {
  it("A6 without the csrfToken, or with a token from another cookie jar: no session cookie", async () => {
    const attacker = newJar();
    const attackerToken = await csrfToken(webUrl, attacker);
    const attempts: Array<Record<string, string>> = [{}, { csrfToken: attackerToken }];
    for (const fields of attempts) {
      const victim = newJar();
      const response = await postCredentials(
        webUrl,
        victim,
        { username: demoUsers.bob.username, password: demoUsers.bob.password, ...fields },
        { origin: "http://evil.example" },
      );
      await response.text();
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toContain("csrf=true");
      expect([...victim.cookies.keys()].some((name) => name.includes("session-token"))).toBe(false);
    }
  });
});

describe("A7 client-driven session update", () => {
  it("A7 POST /api/auth/session cannot change tokens, login time or roles (with or without csrfToken)", async () => {
    const jar = await signInOverHttp(webUrl, demoUsers.bob.username, demoUsers.bob.password);
    const sessionParts = () =>
      [...jar.cookies]
        .filter(([name]) => name.includes("session-token"))
        .map(([name, value]) => ({ name, value })) as never;
    const before = await tokensInCookie(sessionParts(), sessionSecret);
    const data = {
      accessToken: "x",
      refreshToken: "y",
      authTime: 9_999_999_999,
      user: { role: "admin", roles: ["administrator"] },
    };
    const token = await csrfToken(webUrl, jar);
    for (const body of [{ data }, { csrfToken: token, data }]) {
      const response = await fetch(`${webUrl}/api/auth/session`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: jar.header() },
        body: JSON.stringify(body),
      });
      absorb(jar, response);
      const text = await response.text();
      expect(response.status).toBeLessThan(500);
      expect(text).not.toContain("administrator");
    }
    const after = await tokensInCookie(sessionParts(), sessionSecret);
    expect(after).toEqual(before);
    const session = (await (
      await fetch(`${webUrl}/api/me`, { headers: { cookie: jar.header() } })
    ).json()) as { user?: { roles?: string[] } };
    expect(session.user?.roles ?? []).not.toContain("administrator");
  });
});
