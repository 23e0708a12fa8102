import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { startTestApi, TEST_ISSUER, type TestApi } from "../helpers/test-api.js";
import {
  basic,
  expectBearerRefused,
  expectOAuthError,
  INVALID_REQUEST,
  login,
  pairOf,
  refresh,
  tokenRequest,
  userinfo,
  webClient,
} from "./oauth-client.js";

// drupal-wire.md D.3, adapted to our fixtures: consumer next-web/next-web-secret, alice is uid 2
// with the editor role, the password-grant scope is `editor`, lifetime 300 s.
const LIFETIME = 300;
const aliceLogin = {
  grant_type: "password",
  ...webClient,
  username: "alice",
  password: "alice-password",
  scope: "editor",
};

let api: TestApi;
beforeAll(async () => {
  // Drupal has no reuse interval: a used refresh token is refused at once (D.3 #6).
  api = await startTestApi({ REFRESH_REUSE_INTERVAL: "0" });
});
afterAll(async () => {
  await api.close();
});

describe("drupal-wire D.3 conformance (OAuth part)", () => {
  it("C7 D.3 #1 password grant answers 200 with exactly token_type, expires_in, access_token, refresh_token", async () => {
    const response = await tokenRequest(api, aliceLogin);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    expect(Object.keys(response.body)).toStrictEqual([
      "token_type",
      "expires_in",
      "access_token",
      "refresh_token",
    ]);
    expect(response.body.token_type).toBe("Bearer");
    const expiresIn = response.body.expires_in;
    expect(Number.isInteger(expiresIn)).toBe(true);
    expect(expiresIn).toBeGreaterThanOrEqual(LIFETIME - 10);
    expect(expiresIn).toBeLessThanOrEqual(LIFETIME);
    const { accessToken, refreshToken } = pairOf(response);
    expect(accessToken.split(".")).toHaveLength(3);
    expect(accessToken.split(".").every((part) => part.length > 0)).toBe(true);
    expect(refreshToken.length).toBeGreaterThan(0);
  });

  it("C7 D1 D.3 #2 the access token is an RS256 JWT with Drupal's header and claims, verifiable with the JWKS", async () => {
    const { accessToken } = await login(api);
    const header = decodeProtectedHeader(accessToken);
    expect(header.alg).toBe("RS256");
    expect(header.typ).toBe("JWT");
    const claims = decodeJwt(accessToken);
    expect(header.jti).toBe(claims.jti);
    expect(claims.jti).toMatch(/^[0-9a-f]{80}$/);
    expect(claims.aud).toBe("next-web");
    expect(claims.sub).toBe("2");
    expect(claims.iss).toBe(TEST_ISSUER);
    expect(claims.scope).toStrictEqual(["editor"]);
    for (const name of ["iat", "nbf", "exp"] as const) expect(typeof claims[name]).toBe("number");
    const lifetime = (claims.exp ?? 0) - (claims.iat ?? 0);
    expect(lifetime).toBeGreaterThanOrEqual(LIFETIME - 1);
    expect(lifetime).toBeLessThanOrEqual(LIFETIME + 1);

    const jwks = (await (await fetch(`${api.url}/oauth/jwks`)).json()) as {
      keys: Array<Record<string, string>>;
    };
    expect(jwks.keys).toHaveLength(1);
    const jwk = jwks.keys[0] ?? {};
    const key = await importJWK({ kty: jwk.kty, n: jwk.n, e: jwk.e }, "RS256");
    const verified = await jwtVerify(accessToken, key, { algorithms: ["RS256"] });
    expect(verified.payload.sub).toBe("2");
  });

  it("D.3 #3 wrong password gives invalid_grant without hint; missing username gives invalid_request about username", async () => {
    const wrong = await tokenRequest(api, { ...aliceLogin, password: "not-her-password" });
    expectOAuthError(wrong, 400, {
      error: "invalid_grant",
      error_description: "The user credentials were incorrect.",
    });

    const { username: _omitted, ...withoutUsername } = aliceLogin;
    const missing = await tokenRequest(api, withoutUsername);
    expectOAuthError(missing, 400, {
      error: "invalid_request",
      error_description: INVALID_REQUEST,
      hint: "Check the `username` parameter",
    });
  });

  it("C5 D.3 #4 wrong client secret gives 401 invalid_client, in the body and via Basic (with the Basic challenge)", async () => {
    const inBody = await tokenRequest(api, { ...aliceLogin, client_secret: "wrong" });
    expectOAuthError(inBody, 401, {
      error: "invalid_client",
      error_description: "Client authentication failed",
    });
    expect(inBody.headers.get("www-authenticate")).toBeNull();

    const { client_id: _id, client_secret: _secret, ...withoutClient } = aliceLogin;
    const viaBasic = await tokenRequest(api, withoutClient, {
      authorization: basic("next-web", "wrong"),
    });
    expectOAuthError(viaBasic, 401, {
      error: "invalid_client",
      error_description: "Client authentication failed",
    });
    expect(viaBasic.headers.get("www-authenticate")).toBe('Basic realm="OAuth"');
  });

  it("C8 D.3 #5 #6 #7 refresh rotates both tokens; the used refresh token is refused; the replaced access token gets 401", async () => {
    const first = await login(api);

    // #5
    const rotated = await refresh(api, first.refreshToken);
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body)).toStrictEqual([
      "token_type",
      "expires_in",
      "access_token",
      "refresh_token",
    ]);
    const second = pairOf(rotated);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await userinfo(api, second.accessToken)).status).toBe(200);

    // #7 (against /oauth/userinfo: the JSON:API routes are not part of this suite)
    expectBearerRefused(await userinfo(api, first.accessToken));

    // #6: the replay is refused exactly as Drupal does it...
    const replay = await refresh(api, first.refreshToken);
    expectOAuthError(replay, 400, {
      error: "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint: "Token has been revoked",
    });
    // ...but, deliberately unlike Drupal ("R2 still works once"), reuse detection (security
    // catalogue C8, RFC 9700) has revoked the whole family, so R2 is dead too.
    expectOAuthError(await refresh(api, second.refreshToken), 400, {
      error: "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint: "Token has been revoked",
    });
  });

  it("D.3 #6 without a replay, the new refresh token works exactly once", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));
    const third = await refresh(api, second.refreshToken);
    expect(third.status).toBe(200);
    // Reusing R2 is a replay now, with the same answer as for R1.
    expectOAuthError(await refresh(api, second.refreshToken), 400, {
      error: "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint: "Token has been revoked",
    });
  });

  it("D.3 #15 (userinfo part) alice's token gets her OpenID Connect claims", async () => {
    const { accessToken } = await login(api);
    const response = await userinfo(api, accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const alice = api.services.users.findByUid(2);
    expect(response.body).toStrictEqual({
      sub: "2",
      name: "alice",
      preferred_username: "alice",
      email: "alice@example.com",
      email_verified: true,
      profile: `${TEST_ISSUER}user/2`,
      locale: "en",
      zoneinfo: "UTC",
      updated_at: alice?.changed,
      roles: ["editor"],
    });
  });
});
