import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, TEST_ISSUER, WEB_CLIENT, type TestApi } from "../helpers/test-api.js";
import { basic, refresh, userinfo } from "../oauth/oauth-client.js";
import {
  authorizeUrl,
  browse,
  CookieJar,
  exchange,
  openSignInPage,
  pkce,
  postSignIn,
  WEB_CALLBACK,
  webAuthorizeParams,
} from "./flow.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

async function jwks() {
  const response = await fetch(`${api.url}/oauth/jwks`);
  return createLocalJWKSet((await response.json()) as JSONWebKeySet);
}

describe("authorization code flow with PKCE, end to end", () => {
  it("signs in through the API's pages and ends in working, refreshable tokens and a valid id_token", async () => {
    const p = pkce();
    const jar = new CookieJar();
    const params = webAuthorizeParams(p, { nonce: "n-0S6_WzA2Mj", state: "af0ifjsldkj" });

    // 1. No session yet: the authorization endpoint sends the browser to the sign-in page.
    const { page, csrfToken, destination } = await openSignInPage(jar, authorizeUrl(api, params));
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.text).toContain("Next.js web app");
    expect(destination.startsWith("/oauth/authorize?")).toBe(true);
    expect(jar.cookies.has("oauth_csrf")).toBe(true);

    // 2. Credentials with the CSRF token: a session cookie and back to the authorization endpoint.
    const signedIn = await postSignIn(jar, api, {
      csrf_token: csrfToken,
      destination,
      username: "alice",
      password: "alice-password",
    });
    expect(signedIn.status, signedIn.text).toBe(303);
    const sessionCookie = jar.setCookies.find((line) => line.startsWith("oauth_session="));
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; SameSite=Lax/);
    expect(sessionCookie).toMatch(/; Max-Age=600/);
    expect(signedIn.location?.href).toBe(authorizeUrl(api, params).href);

    // 3. First-party client: no consent page, straight back to the redirect URI.
    const back = await browse(jar, signedIn.location ?? "");
    expect(back.status).toBe(303);
    const redirect = back.location;
    expect(`${redirect?.origin ?? ""}${redirect?.pathname ?? ""}`).toBe(WEB_CALLBACK);
    expect(redirect?.searchParams.get("state")).toBe("af0ifjsldkj");
    expect(redirect?.searchParams.get("iss")).toBe(TEST_ISSUER);
    const code = redirect?.searchParams.get("code") ?? "";
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The sign-in lasted for this one authorization only.
    expect(jar.cookies.has("oauth_session")).toBe(false);

    // 4. The code for tokens, shaped like simple_oauth's, plus the id_token.
    const tokens = await exchange(api, { code, code_verifier: p.verifier });
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(tokens.body)).toStrictEqual([
      "token_type",
      "expires_in",
      "access_token",
      "refresh_token",
      "id_token",
    ]);
    expect(tokens.body.token_type).toBe("Bearer");
    const accessToken = String(tokens.body.access_token);
    const claims = decodeJwt(accessToken);
    expect(claims.aud).toBe(WEB_CLIENT.id);
    expect(claims.scope).toStrictEqual(["openid", "editor"]);

    // 5. The access token works.
    const me = await userinfo(api, accessToken);
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({ preferred_username: "alice", roles: ["editor"] });

    // 6. The id_token verifies with the published key.
    const { payload, protectedHeader } = await jwtVerify(
      String(tokens.body.id_token),
      await jwks(),
      {
        issuer: TEST_ISSUER,
        audience: WEB_CLIENT.id,
        algorithms: ["RS256"],
      },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      sub: String(me.body.sub),
      nonce: "n-0S6_WzA2Mj",
      name: "alice",
      preferred_username: "alice",
      email: "alice@example.com",
    });
    expect(typeof payload.auth_time).toBe("number");
    expect(payload.auth_time).toBeLessThanOrEqual(payload.iat ?? 0);

    // 7. Refresh works (rotation as for the password grant) and brings a new id_token.
    const refreshed = await refresh(api, String(tokens.body.refresh_token));
    expect(refreshed.status, refreshed.text).toBe(200);
    expect((await userinfo(api, String(refreshed.body.access_token))).status).toBe(200);
    const again = await jwtVerify(String(refreshed.body.id_token), await jwks(), {
      issuer: TEST_ISSUER,
      audience: WEB_CLIENT.id,
    });
    expect(again.payload.auth_time).toBe(payload.auth_time);
    expect(again.payload.nonce).toBeUndefined();
  });

  it("accepts HTTP Basic client authentication; without openid there is no id_token", async () => {
    const p = pkce();
    const jar = new CookieJar();
    const params = webAuthorizeParams(p, { scope: "editor" });
    const { csrfToken, destination } = await openSignInPage(jar, authorizeUrl(api, params));
    const signedIn = await postSignIn(jar, api, {
      csrf_token: csrfToken,
      destination,
      username: "bob@example.com",
      password: "bob-password",
    });
    const back = await browse(jar, signedIn.location ?? "");
    const code = back.location?.searchParams.get("code") ?? "";
    const tokens = await exchange(
      api,
      { code, code_verifier: p.verifier, client_id: "", client_secret: "" },
      { authorization: basic(WEB_CLIENT.id, WEB_CLIENT.secret) },
    );
    expect(tokens.status, tokens.text).toBe(200);
    expect(Object.keys(tokens.body)).toStrictEqual([
      "token_type",
      "expires_in",
      "access_token",
      "refresh_token",
    ]);
    expect((await userinfo(api, String(tokens.body.access_token))).body.preferred_username).toBe(
      "bob",
    );
  });
});
