import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/auth/hash.js";
import { startTestApi, TEST_ISSUER, WEB_CLIENT, type TestApi } from "../helpers/test-api.js";
import {
  authorizeUrl,
  browse,
  CookieJar,
  hiddenField,
  pkce,
  postSignIn,
  signInAndAuthorize,
  WEB_CALLBACK,
  webAuthorizeParams,
  type AuthorizeParams,
} from "./flow.js";

// RFC 6749 §4.1.1, §4.1.2.1 and RFC 7636 §4.4.1 at the authorization endpoint.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  api.services.clients.upsert({
    clientId: "password-only",
    label: "Password only",
    secretHash: null,
    confidential: false,
    grantTypes: ["password"],
    defaultScopes: [],
    defaultUser: null,
    redirectUris: ["https://password-only.example/cb"],
  });
});
afterAll(async () => {
  await api.close();
});

/** An authorization request answered with an error page: 400 HTML, never a redirect. */
async function expectErrorPage(params: AuthorizeParams | URL, text: string) {
  const url = params instanceof URL ? params : authorizeUrl(api, params);
  const response = await browse(new CookieJar(), url);
  expect(response.status, response.text).toBe(400);
  expect(response.location).toBeUndefined();
  expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(response.text).toContain(text);
}

/** An authorization request refused back to the client (303 with error, state and iss). */
async function expectRedirectError(params: AuthorizeParams, error: string) {
  const response = await browse(new CookieJar(), authorizeUrl(api, params));
  expect(response.status, response.text).toBe(303);
  const location = response.location;
  expect(`${location?.origin ?? ""}${location?.pathname ?? ""}`).toBe(params.redirect_uri);
  expect(location?.searchParams.get("error")).toBe(error);
  expect(location?.searchParams.get("error_description")).toBeTruthy();
  expect(location?.searchParams.get("state")).toBe(params.state ?? null);
  expect(location?.searchParams.get("iss")).toBe(TEST_ISSUER);
  expect(location?.searchParams.has("code")).toBe(false);
  return location;
}

describe("redirect_uri is matched exactly; a bad one never redirects", () => {
  const p = pkce();
  it.each([
    ["unregistered", "https://evil.example/callback"],
    ["longer path", `${WEB_CALLBACK}/evil`],
    ["extra query", `${WEB_CALLBACK}?next=https://evil.example`],
    ["trailing slash", `${WEB_CALLBACK}/`],
    ["other port", "http://localhost:3001/api/auth/callback/upstream"],
    ["other case", WEB_CALLBACK.toUpperCase()],
    ["with fragment", `${WEB_CALLBACK}#x`],
    ["prefix only", "http://localhost:3000/"],
  ])("%s", async (_name, redirectUri) => {
    await expectErrorPage(webAuthorizeParams(p, { redirect_uri: redirectUri }), "not registered");
  });

  it("missing redirect_uri, missing or unknown client_id, repeated redirect_uri", async () => {
    await expectErrorPage(webAuthorizeParams(p, { redirect_uri: undefined }), "redirect_uri");
    await expectErrorPage(webAuthorizeParams(p, { client_id: undefined }), "client_id");
    await expectErrorPage(webAuthorizeParams(p, { client_id: "nobody" }), "not known");
    const twice = authorizeUrl(api, webAuthorizeParams(p));
    twice.searchParams.append("redirect_uri", "https://evil.example/cb");
    await expectErrorPage(twice, "redirect_uri");
  });

  it("the error page is a safe page: CSP, no framing, no caching", async () => {
    const response = await browse(
      new CookieJar(),
      authorizeUrl(api, webAuthorizeParams(p, { redirect_uri: "https://evil.example/cb" })),
    );
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.text).not.toContain("evil.example");
  });
});

describe("other errors go back to the client (RFC 6749 §4.1.2.1)", () => {
  const p = pkce();
  it("PKCE is required and only S256 is accepted", async () => {
    await expectRedirectError(
      webAuthorizeParams(p, { code_challenge_method: "plain" }),
      "invalid_request",
    );
    await expectRedirectError(
      webAuthorizeParams(p, { code_challenge_method: "plain", code_challenge: p.verifier }),
      "invalid_request",
    );
    // Without a method RFC 7636 means plain: refused as well.
    await expectRedirectError(
      webAuthorizeParams(p, { code_challenge_method: undefined }),
      "invalid_request",
    );
    await expectRedirectError(
      webAuthorizeParams(p, { code_challenge: undefined }),
      "invalid_request",
    );
    await expectRedirectError(
      webAuthorizeParams(p, { code_challenge: "short" }),
      "invalid_request",
    );
  });

  it("response_type must be code", async () => {
    await expectRedirectError(
      webAuthorizeParams(p, { response_type: "token" }),
      "unsupported_response_type",
    );
    await expectRedirectError(
      webAuthorizeParams(p, { response_type: "code id_token" }),
      "unsupported_response_type",
    );
    await expectRedirectError(
      webAuthorizeParams(p, { response_type: undefined }),
      "invalid_request",
    );
  });

  it("unknown scopes are invalid_scope", async () => {
    const location = await expectRedirectError(
      webAuthorizeParams(p, { scope: "openid root" }),
      "invalid_scope",
    );
    expect(location?.searchParams.get("error_description")).toContain("root");
  });

  it("a client without the authorization_code grant is unauthorized_client", async () => {
    await expectRedirectError(
      webAuthorizeParams(p, {
        client_id: "password-only",
        redirect_uri: "https://password-only.example/cb",
      }),
      "unauthorized_client",
    );
  });

  it("repeated parameters, request objects and prompt=none without a session", async () => {
    const url = authorizeUrl(api, webAuthorizeParams(p));
    url.searchParams.append("scope", "administrator");
    const response = await browse(new CookieJar(), url);
    expect(response.location?.searchParams.get("error")).toBe("invalid_request");
    await expectRedirectError(
      webAuthorizeParams(p, { request: "eyJ..." }),
      "request_not_supported",
    );
    await expectRedirectError(webAuthorizeParams(p, { prompt: "none" }), "login_required");
  });
});

describe("state", () => {
  it.each([
    ["plain", "xyz"],
    ["reserved and unicode characters", "a b+c/d?e&f=g%20h#i ✓ \"'<>"],
    ["long opaque value", "s".repeat(1000)],
  ])("is echoed exactly: %s", async (_name, state) => {
    const redirect = await signInAndAuthorize(api, webAuthorizeParams(pkce(), { state }));
    expect(redirect.searchParams.get("state")).toBe(state);
    expect(redirect.searchParams.getAll("state")).toHaveLength(1);
  });

  it("is echoed exactly when the browser sent characters raw (backslash, pipe, quote)", async () => {
    const url = authorizeUrl(api, webAuthorizeParams(pkce(), { state: undefined }));
    const raw = `${url.href}&state=a\\b|c'd^e{f}`;
    const jar = new CookieJar();
    const first = await browse(jar, raw);
    expect(first.location?.pathname).toBe("/oauth/login");
    const page = await browse(jar, first.location ?? "");
    expect(page.status, page.text).toBe(200);
    const signedIn = await postSignIn(jar, api, {
      csrf_token: hiddenField(page.text, "csrf_token"),
      destination: hiddenField(page.text, "destination"),
      username: "alice",
      password: "alice-password",
    });
    const back = await browse(jar, signedIn.location ?? "");
    expect(back.location?.searchParams.get("state")).toBe("a\\b|c'd^e{f}");
  });

  it("is left out when the client sent none", async () => {
    const redirect = await signInAndAuthorize(
      api,
      webAuthorizeParams(pkce(), { state: undefined }),
    );
    expect(redirect.searchParams.has("state")).toBe(false);
    expect(redirect.searchParams.has("code")).toBe(true);
  });

  it("comes back with errors too", async () => {
    const params = webAuthorizeParams(pkce(), { state: "é&=?", response_type: "token" });
    await expectRedirectError(params, "unsupported_response_type");
  });
});

describe("the session of the authorization pages", () => {
  it("lasts for one authorization: the next one asks for the password again", async () => {
    const jar = new CookieJar();
    await signInAndAuthorize(api, webAuthorizeParams(pkce()), "alice", "alice-password", jar);
    const next = await browse(jar, authorizeUrl(api, webAuthorizeParams(pkce())));
    expect(next.status).toBe(303);
    expect(next.location?.pathname).toBe("/oauth/login");
  });

  it("a forged or tampered session cookie is ignored", async () => {
    const jar = new CookieJar();
    const payload = Buffer.from(
      JSON.stringify({ uid: 1, authTime: 0, changed: 0, exp: 9_999_999_999 }),
    ).toString("base64url");
    jar.cookies.set("oauth_session", `${payload}.${"A".repeat(43)}`);
    const response = await browse(jar, authorizeUrl(api, webAuthorizeParams(pkce())));
    expect(response.location?.pathname).toBe("/oauth/login");
  });

  it("prompt=login sends to the sign-in page and does not loop after signing in", async () => {
    const redirect = await signInAndAuthorize(api, webAuthorizeParams(pkce(), { prompt: "login" }));
    expect(redirect.searchParams.has("code")).toBe(true);
  });

  it("HEAD never issues a code", async () => {
    const response = await fetch(authorizeUrl(api, webAuthorizeParams(pkce())), {
      method: "HEAD",
      redirect: "manual",
    });
    expect(response.status).toBe(404);
  });

  it("a code is bound to the client that asked for it", async () => {
    const redirect = await signInAndAuthorize(api, webAuthorizeParams(pkce()));
    const code = redirect.searchParams.get("code") ?? "";
    const row = api.services.db
      .prepare(
        "SELECT client_id, redirect_uri, used FROM oauth_authorization_codes WHERE code_hash = ?",
      )
      .get(sha256(code));
    expect(row).toStrictEqual({ client_id: WEB_CLIENT.id, redirect_uri: WEB_CALLBACK, used: 0 });
    // Only the hash is stored.
    const raw = api.services.db
      .prepare("SELECT COUNT(*) AS n FROM oauth_authorization_codes WHERE code_hash = ?")
      .get(code) as { n: number };
    expect(raw.n).toBe(0);
  });
});
