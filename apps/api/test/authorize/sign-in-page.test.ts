import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import { tokenRequest, webClient } from "../oauth/oauth-client.js";
import {
  authorizeUrl,
  browse,
  CookieJar,
  hiddenField,
  openSignInPage,
  pkce,
  postSignIn,
  webAuthorizeParams,
} from "./flow.js";

const GENERIC = "Unrecognized username or password.";
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; form-action 'self' http://localhost:3000; frame-ancestors 'none'";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(env: Record<string, string> = {}): Promise<TestApi> {
  api = await startTestApi(env);
  return api;
}

async function signInPage(target: TestApi, jar = new CookieJar()) {
  return { jar, ...(await openSignInPage(jar, authorizeUrl(target, webAuthorizeParams(pkce())))) };
}

function sessionSet(jar: CookieJar): boolean {
  return jar.setCookies.some(
    (line) => line.startsWith("oauth_session=") && !/Max-Age=0/.test(line),
  );
}

describe("the sign-in page", () => {
  it("is an accessible, script-free form with labels, autocomplete and a strict CSP", async () => {
    const target = await start();
    const { page, jar } = await signInPage(target);
    expect(page.headers.get("content-security-policy")).toBe(PAGE_CSP);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('<label for="username">');
    expect(page.text).toContain('<label for="password">');
    expect(page.text).toMatch(/<input id="username"[^>]*autocomplete="username"/);
    expect(page.text).toMatch(
      /<input id="password"[^>]*type="password" autocomplete="current-password"/,
    );
    expect(page.text).toContain('<button type="submit">Sign in</button>');
    expect(page.text).not.toMatch(/<script|style=|javascript:/i);
    const csrf = jar.setCookies.find((line) => line.startsWith("oauth_csrf="));
    expect(csrf).toMatch(/; HttpOnly/);
    expect(csrf).toMatch(/; SameSite=Lax/);

    const css = await fetch(`${target.url}/oauth/assets/authorize.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain(":focus-visible");
  });

  it("refuses a post without the CSRF token, with another browser's token, or without the cookie", async () => {
    const target = await start();
    const { jar, csrfToken, destination } = await signInPage(target);
    const credentials = { destination, username: "alice", password: "alice-password" };

    const missing = await postSignIn(jar, target, credentials);
    expect(missing.status).toBe(403);
    expect(missing.location).toBeUndefined();

    const other = await signInPage(target);
    const foreign = await postSignIn(jar, target, { ...credentials, csrf_token: other.csrfToken });
    expect(foreign.status).toBe(403);

    const noCookie = await postSignIn(new CookieJar(), target, {
      ...credentials,
      csrf_token: csrfToken,
    });
    expect(noCookie.status).toBe(403);
    expect(sessionSet(jar)).toBe(false);

    // A token changed by one character is refused.
    const forged = await postSignIn(jar, target, { ...credentials, csrf_token: `${csrfToken}x` });
    expect(forged.status).toBe(403);

    // With the right token the very same post succeeds.
    const ok = await postSignIn(jar, target, { ...credentials, csrf_token: csrfToken });
    expect(ok.status).toBe(303);
    expect(sessionSet(jar)).toBe(true);
  });

  it("answers a wrong password, an unknown user and a blocked user with one generic message", async () => {
    const target = await start();
    const bob = target.services.users.findByNameOrMail("bob");
    target.services.users.setStatus(bob?.uid ?? 0, false);
    const { jar, csrfToken, destination } = await signInPage(target);
    const texts: string[] = [];
    for (const [username, password] of [
      ["alice", "wrong"],
      ["nobody", "whatever"],
      ["bob", "bob-password"],
      ["alice", ""],
    ] as const) {
      const response = await postSignIn(jar, target, {
        csrf_token: csrfToken,
        destination,
        username,
        password,
      });
      expect(response.status, username).toBe(400);
      expect(response.location).toBeUndefined();
      expect(response.text).toContain(`role="alert">${GENERIC}</p>`);
      expect(response.text).toContain('aria-invalid="true"');
      // The form can be sent again as it is (same CSRF token, same destination).
      expect(hiddenField(response.text, "csrf_token")).toBe(csrfToken);
      expect(hiddenField(response.text, "destination")).toBe(destination);
      texts.push(response.text.replace(/value="[^"]*"/g, ""));
    }
    expect(new Set(texts).size).toBe(1);
    expect(sessionSet(jar)).toBe(false);
  });

  it("counts failures in the same limiter as the password grant", async () => {
    const target = await start({ LOGIN_FAILURES_PER_USER: "3" });
    const { jar, csrfToken, destination } = await signInPage(target);
    const attempt = (password: string) =>
      postSignIn(jar, target, { csrf_token: csrfToken, destination, username: "alice", password });
    // One failure through the password grant, two through the page: the account is locked.
    const grant = await tokenRequest(target, {
      grant_type: "password",
      ...webClient,
      username: "alice",
      password: "wrong-0",
    });
    expect(grant.status).toBe(400);
    expect((await attempt("wrong-1")).status).toBe(400);
    expect((await attempt("wrong-2")).status).toBe(400);

    const locked = await attempt("alice-password");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(locked.text).toContain("Too many failed sign-in attempts");
    expect(sessionSet(jar)).toBe(false);
    const viaGrant = await tokenRequest(target, {
      grant_type: "password",
      ...webClient,
      username: "alice",
      password: "alice-password",
    });
    expect(viaGrant.status).toBe(429);
  });
});

describe("no open redirect through the sign-in page's destination", () => {
  let shared: TestApi;
  beforeAll(async () => {
    shared = await startTestApi();
  });
  afterAll(async () => {
    await shared.close();
  });
  const attempts = [
    "//evil.example",
    "//evil.example/oauth/authorize",
    "https://evil.example",
    "https://evil.example/oauth/authorize?x=1",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "/oauth/authorize/../../evil",
    "/oauth/authorize@evil.example",
    "/oauth/authorize.evil.example",
    "/oauth/authorizex",
    "/oauth/authorize?x=1#//evil.example",
    "/oauth/authorize?x=\\evil",
    "/oauth/authorize?x= y",
    "/oauth/authorize?x=1\r\nLocation: https://evil.example",
    " /oauth/authorize",
    "/jsonapi",
    "",
  ];

  it.each(attempts)(
    "GET /oauth/login?destination=%j is an error page without a redirect",
    async (destination) => {
      const target = shared;
      const url = new URL(`${target.url}/oauth/login`);
      url.searchParams.set("destination", destination);
      const response = await browse(new CookieJar(), url);
      expect(response.status).toBe(400);
      expect(response.location).toBeUndefined();
      expect(response.text).not.toContain("evil");
    },
  );

  it("POST with a valid CSRF token and the right password still goes nowhere else", async () => {
    const target = shared;
    const { jar, csrfToken } = await signInPage(target);
    for (const destination of attempts) {
      const response = await postSignIn(jar, target, {
        csrf_token: csrfToken,
        destination,
        username: "alice",
        password: "alice-password",
      });
      expect(response.status, destination).toBe(400);
      expect(response.location, destination).toBeUndefined();
      expect(sessionSet(jar), destination).toBe(false);
    }
  });

  it("the only redirect after signing in is to this server's /oauth/authorize", async () => {
    const target = shared;
    const { jar, csrfToken, destination } = await signInPage(target);
    const response = await postSignIn(jar, target, {
      csrf_token: csrfToken,
      destination,
      username: "alice",
      password: "alice-password",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")?.startsWith("./authorize?")).toBe(true);
    expect(response.location?.origin).toBe(target.url);
    expect(response.location?.pathname).toBe("/oauth/authorize");
  });

  it("a repeated destination is refused", async () => {
    const target = shared;
    const response = await browse(
      new CookieJar(),
      `${target.url}/oauth/login?destination=%2Foauth%2Fauthorize&destination=%2F%2Fevil.example`,
    );
    expect(response.status).toBe(400);
    expect(response.location).toBeUndefined();
  });
});

describe("cookies behind https", () => {
  it("use the __Host- prefix and Secure when the issuer is https", async () => {
    const target = await start({ API_ISSUER: "https://api.example/" });
    const { jar, csrfToken, destination } = await signInPage(target);
    const csrf = jar.setCookies.find((line) => line.startsWith("__Host-oauth_csrf="));
    expect(csrf).toMatch(/; Path=\/; .*HttpOnly; SameSite=Lax; Secure$/);
    await postSignIn(jar, target, {
      csrf_token: csrfToken,
      destination,
      username: "alice",
      password: "alice-password",
    });
    const session = jar.setCookies.find((line) => line.startsWith("__Host-oauth_session="));
    expect(session).toMatch(/; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
  });
});

describe("method and body handling", () => {
  it("405 for other methods, 400 HTML for repeated form fields", async () => {
    const target = await start();
    const put = await fetch(`${target.url}/oauth/login`, { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    const { jar, csrfToken, destination } = await signInPage(target);
    const repeated = await browse(jar, `${target.url}/oauth/login`, {
      form: `csrf_token=${csrfToken}&destination=${encodeURIComponent(destination)}&username=alice&username=bob&password=x`,
    });
    expect(repeated.status).toBe(400);
    expect(repeated.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });
});
