import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import {
  accessRow,
  basic,
  expectBearerRefused,
  expectOAuthError,
  INVALID_REQUEST,
  login,
  pairOf,
  refresh,
  refreshRow,
  revoke,
  tokenRequest,
  userinfo,
  webClient,
  type JsonResponse,
  addOtherClient,
  revokedAnswer,
  otherClient,
} from "./oauth-client.js";

// Security catalogue C10: RFC 7009 revocation, as contrib simple_oauth_revoke offers it.
const invalidClient = {
  error: "invalid_client",
  error_description: "Client authentication failed",
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  addOtherClient(api);
});
afterAll(async () => {
  await api.close();
});

function expectEmpty200(response: JsonResponse): void {
  expect(response.status, response.text).toBe(200);
  expect(response.text).toBe("");
  expect(response.headers.get("cache-control")).toBe("no-store");
}

describe("C10 POST /oauth/revoke", () => {
  it("revoking a refresh token kills it, its access token and the rest of its family", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));
    expectEmpty200(await revoke(api, { token: second.refreshToken, ...webClient }));
    expectOAuthError(await refresh(api, second.refreshToken), 400, revokedAnswer);
    expectBearerRefused(await userinfo(api, second.accessToken));
  });

  it("revoking an access token kills that access token only (looked up by its jti)", async () => {
    const pair = await login(api);
    expectEmpty200(await revoke(api, { token: pair.accessToken, ...webClient }, {}));
    expect(accessRow(api, pair.accessToken)?.revoked).toBe(1);
    expectBearerRefused(await userinfo(api, pair.accessToken));
    expect(refreshRow(api, pair.refreshToken)?.revoked).toBe(0);
    expect((await refresh(api, pair.refreshToken)).status).toBe(200);
  });

  it("client authentication by HTTP Basic works too", async () => {
    const pair = await login(api);
    expectEmpty200(
      await revoke(
        api,
        { token: pair.refreshToken },
        { authorization: basic("next-web", "next-web-secret") },
      ),
    );
    expect(refreshRow(api, pair.refreshToken)?.revoked).toBe(1);
  });

  it("unknown and garbage tokens get 200 with an empty body", async () => {
    for (const token of ["garbage", `def50200${"00".repeat(400)}`, "a.b.c", "x".repeat(5000)]) {
      expectEmpty200(await revoke(api, { token, ...webClient }));
    }
  });

  it("a wrong or unknown token_type_hint still finds the token", async () => {
    const pair = await login(api);
    expectEmpty200(
      await revoke(api, {
        token: pair.refreshToken,
        token_type_hint: "access_token",
        ...webClient,
      }),
    );
    expect(refreshRow(api, pair.refreshToken)?.revoked).toBe(1);

    const other = await login(api);
    expectEmpty200(
      await revoke(api, {
        token: other.accessToken,
        token_type_hint: "refresh_token",
        ...webClient,
      }),
    );
    expect(accessRow(api, other.accessToken)?.revoked).toBe(1);

    const third = await login(api);
    expectEmpty200(
      await revoke(api, { token: third.refreshToken, token_type_hint: "foo", ...webClient }),
    );
    expect(refreshRow(api, third.refreshToken)?.revoked).toBe(1);
  });

  it("another client's tokens are left untouched (and the answer is the same 200)", async () => {
    const pair = await login(api);
    expectEmpty200(await revoke(api, { token: pair.refreshToken, ...otherClient }));
    expectEmpty200(await revoke(api, { token: pair.accessToken, ...otherClient }));
    expect((await userinfo(api, pair.accessToken)).status).toBe(200);
    expect((await refresh(api, pair.refreshToken)).status).toBe(200);
  });

  it("a forged JWT carrying a live jti revokes nothing", async () => {
    const pair = await login(api);
    const claims = decodeJwt(pair.accessToken);
    const attacker = await generateKeyPair("RS256");
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ typ: "JWT", alg: "RS256", jti: String(claims.jti) })
      .sign(attacker.privateKey);
    expectEmpty200(await revoke(api, { token: forged, ...webClient }));
    expect((await userinfo(api, pair.accessToken)).status).toBe(200);
  });

  it("without valid client authentication: 401 invalid_client, and nothing is revoked", async () => {
    const pair = await login(api);
    expectOAuthError(await revoke(api, { token: pair.refreshToken }), 401, invalidClient);
    expectOAuthError(
      await revoke(api, { token: pair.refreshToken, client_id: "next-web" }),
      401,
      invalidClient,
    );
    expectOAuthError(
      await revoke(api, { token: pair.refreshToken, ...webClient, client_secret: "wrong" }),
      401,
      invalidClient,
    );
    const viaBasic = await revoke(
      api,
      { token: pair.refreshToken },
      { authorization: basic("next-web", "wrong") },
    );
    expectOAuthError(viaBasic, 401, invalidClient);
    expect(viaBasic.headers.get("www-authenticate")).toBe('Basic realm="OAuth"');
    expect((await refresh(api, pair.refreshToken)).status).toBe(200);
  });

  it("a missing token is invalid_request; GET is 405; JSON bodies are refused", async () => {
    expectOAuthError(await revoke(api, { ...webClient }), 400, {
      error: "invalid_request",
      error_description: INVALID_REQUEST,
      hint: "Check the `token` parameter",
    });
    const get = await fetch(`${api.url}/oauth/revoke`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const json = await fetch(`${api.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "x", ...webClient }),
    });
    expect(json.status).toBe(400);
  });

  it("a revoked refresh token's family cannot be revived by a token request", async () => {
    const pair = await login(api);
    expectEmpty200(await revoke(api, { token: pair.refreshToken, ...webClient }));
    const again = await tokenRequest(api, {
      grant_type: "refresh_token",
      refresh_token: pair.refreshToken,
      ...webClient,
    });
    expectOAuthError(again, 400, revokedAnswer);
  });
});
