import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, TEST_ISSUER, type TestApi, WEB_CLIENT } from "../helpers/test-api.js";
import {
  expectOAuthError,
  pairOf,
  refresh,
  tokenRequest,
  userinfo,
  webClient,
} from "./oauth-client.js";

// drupal-wire.md A.3: `id_token` "only when the granted scopes include openid and OIDC is not
// disabled", for every grant (simple_oauth's `OpenIdConnectIdTokenResponse`), so also for the
// password grant. Fixtures: alice is uid 2 with the editor role, lifetime 300 s.
const LIFETIME = 300;
const alice = {
  grant_type: "password",
  ...webClient,
  username: "alice",
  password: "alice-password",
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

let keys: ReturnType<typeof createLocalJWKSet>;
beforeAll(async () => {
  const response = await fetch(`${api.url}/oauth/jwks`);
  keys = createLocalJWKSet((await response.json()) as JSONWebKeySet);
});

function verifyIdToken(idToken: unknown) {
  expect(idToken).toBeTypeOf("string");
  return jwtVerify(String(idToken), keys, {
    issuer: TEST_ISSUER,
    audience: WEB_CLIENT.id,
    algorithms: ["RS256"],
  });
}

describe("POST /oauth/token, password grant with scope openid", () => {
  it("answers the four members plus an id_token, in that order", async () => {
    const response = await tokenRequest(api, { ...alice, scope: "openid editor" });
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(Object.keys(response.body)).toStrictEqual([
      "token_type",
      "expires_in",
      "access_token",
      "refresh_token",
      "id_token",
    ]);
    expect(decodeJwt(pairOf(response).accessToken).scope).toStrictEqual(["openid", "editor"]);
  });

  it("the id_token verifies with the JWKS: our issuer and client, the user's sub, auth_time now, no nonce", async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await tokenRequest(api, { ...alice, scope: "openid editor" });
    const { payload, protectedHeader } = await verifyIdToken(response.body.id_token);
    expect(protectedHeader).toStrictEqual({ typ: "JWT", alg: "RS256" });
    expect(payload.sub).toBe("2");
    expect(payload.sub).toBe(decodeJwt(String(response.body.access_token)).sub);
    expect(payload.nonce).toBeUndefined();
    expect(payload.auth_time).toBeGreaterThanOrEqual(before);
    expect(payload.auth_time).toBeLessThanOrEqual(payload.iat ?? 0);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(LIFETIME);
  });

  it("carries the claims userinfo shows for the same token, roles included", async () => {
    // administrator is asked for but alice does not hold it: neither userinfo nor the id_token has it.
    const response = await tokenRequest(api, {
      ...alice,
      scope: "openid reader editor administrator",
    });
    const { payload } = await verifyIdToken(response.body.id_token);
    const me = await userinfo(api, pairOf(response).accessToken);
    expect(me.status, me.text).toBe(200);
    expect(payload).toMatchObject({
      sub: me.body.sub,
      name: me.body.name,
      preferred_username: me.body.preferred_username,
      email: me.body.email,
      email_verified: true,
      roles: me.body.roles,
    });
    expect(payload.roles).toStrictEqual(["editor"]);
  });

  it("without openid there is no id_token", async () => {
    const response = await tokenRequest(api, { ...alice, scope: "editor" });
    expect(response.status, response.text).toBe(200);
    expect(response.body).not.toHaveProperty("id_token");
  });

  it("a refresh of such a token brings a new id_token for the same user, without nonce", async () => {
    const response = await tokenRequest(api, { ...alice, scope: "openid editor" });
    const refreshed = await refresh(api, pairOf(response).refreshToken);
    expect(refreshed.status, refreshed.text).toBe(200);
    const { payload } = await verifyIdToken(refreshed.body.id_token);
    expect(payload).toMatchObject({ sub: "2", preferred_username: "alice", roles: ["editor"] });
    expect(payload.nonce).toBeUndefined();

    const narrowed = await refresh(api, pairOf(refreshed).refreshToken, { scope: "editor" });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(narrowed.body).not.toHaveProperty("id_token");
  });

  it("a wrong password still answers invalid_grant, without any token", async () => {
    expectOAuthError(
      await tokenRequest(api, { ...alice, password: "wrong", scope: "openid editor" }),
      400,
      { error: "invalid_grant", error_description: "The user credentials were incorrect." },
    );
  });

  it("the openid scope is enabled for the password, code and refresh grants, not client_credentials", () => {
    expect(api.services.scopes.find("openid")?.grantTypes).toStrictEqual([
      "password",
      "authorization_code",
      "refresh_token",
    ]);
  });
});

describe("the openid scope on a database from before this change", () => {
  it("is enabled for the password grant when the server starts (bootstrap upserts the scopes)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reference-api-openid-"));
    const databasePath = join(dir, "api.sqlite");
    try {
      const first = await startTestApi({}, { databasePath });
      first.services.scopes.upsert({
        name: "openid",
        description: "Sign in with your account (OpenID Connect)",
        role: null,
        grantTypes: ["authorization_code", "refresh_token"],
      });
      expectOAuthError(await tokenRequest(first, { ...alice, scope: "openid editor" }), 400, {
        error: "invalid_scope",
        error_description: "The requested scope is invalid, unknown, or malformed",
        hint: "Check the `openid` scope",
      });
      await first.close();

      const again = await startTestApi({}, { databasePath });
      try {
        const response = await tokenRequest(again, { ...alice, scope: "openid editor" });
        expect(response.status, response.text).toBe(200);
        expect(response.body.id_token).toBeTypeOf("string");
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
