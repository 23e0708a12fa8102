import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import {
  expectBearerRefused,
  expectOAuthError,
  INVALID_REQUEST,
  refresh,
  userinfo,
} from "../oauth/oauth-client.js";
import { codeFor, exchange, pkce, WEB_CALLBACK, webAuthorizeParams } from "./flow.js";

// RFC 6749 §4.1.3 / §5.2 and RFC 7636 §4.6 at the token endpoint.
const OTHER_CALLBACK = "http://localhost:3000/api/auth/callback/other";
const INVALID_GRANT =
  "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";

function invalidGrant(hint: string) {
  return { error: "invalid_grant", error_description: INVALID_GRANT, hint };
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ API_WEB_REDIRECT_URIS: `${WEB_CALLBACK},${OTHER_CALLBACK}` });
  api.services.clients.upsert({
    clientId: "partner",
    label: "Partner app",
    secretHash: null,
    confidential: false,
    grantTypes: ["authorization_code"],
    defaultScopes: [],
    defaultUser: null,
    redirectUris: [WEB_CALLBACK],
    automaticAuthorization: true,
  });
});
afterAll(async () => {
  await api.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("authorization_code grant refusals", () => {
  it("a missing code_verifier is invalid_request and does not use the code up", async () => {
    const p = pkce();
    const code = await codeFor(api, webAuthorizeParams(p));
    expectOAuthError(await exchange(api, { code }), 400, {
      error: "invalid_request",
      error_description: INVALID_REQUEST,
      hint: "Check the `code_verifier` parameter",
    });
    expect((await exchange(api, { code, code_verifier: p.verifier })).status).toBe(200);
  });

  it("a wrong or malformed code_verifier is refused", async () => {
    const p = pkce();
    const code = await codeFor(api, webAuthorizeParams(p));
    expectOAuthError(
      await exchange(api, { code, code_verifier: pkce().verifier }),
      400,
      invalidGrant("Failed to verify `code_verifier`."),
    );
    // The challenge itself is not the verifier (a plain-method downgrade).
    expectOAuthError(
      await exchange(api, { code, code_verifier: p.challenge }),
      400,
      invalidGrant("Failed to verify `code_verifier`."),
    );
    const short = await exchange(api, { code, code_verifier: "too-short" });
    expect(short.status).toBe(400);
    expect(short.body.error).toBe("invalid_request");
  });

  it("the redirect_uri must equal the one used at the authorization endpoint", async () => {
    const p = pkce();
    const code = await codeFor(api, webAuthorizeParams(p));
    // Registered for the client, but not the one the code was issued for.
    expectOAuthError(
      await exchange(api, { code, code_verifier: p.verifier, redirect_uri: OTHER_CALLBACK }),
      400,
      invalidGrant("Invalid redirect URI"),
    );
    for (const changed of [`${WEB_CALLBACK}/`, `${WEB_CALLBACK}?x=1`, "https://evil.example/cb"]) {
      expectOAuthError(
        await exchange(api, { code, code_verifier: p.verifier, redirect_uri: changed }),
        400,
        invalidGrant("Invalid redirect URI"),
      );
    }
    const missing = await exchange(api, { code, code_verifier: p.verifier, redirect_uri: "" });
    expect(missing.body).toMatchObject({
      error: "invalid_request",
      hint: "Check the `redirect_uri` parameter",
    });
  });

  it("a replayed code is invalid_grant and revokes every token issued from it", async () => {
    const p = pkce();
    const code = await codeFor(api, webAuthorizeParams(p));
    const first = await exchange(api, { code, code_verifier: p.verifier });
    expect(first.status, first.text).toBe(200);
    const accessToken = String(first.body.access_token);
    const refreshToken = String(first.body.refresh_token);
    // Tokens refreshed from the first exchange belong to the same family and go too.
    const rotated = await refresh(api, refreshToken);
    expect(rotated.status).toBe(200);

    expectOAuthError(
      await exchange(api, { code, code_verifier: p.verifier }),
      400,
      invalidGrant("Authorization code has been revoked"),
    );
    expectBearerRefused(await userinfo(api, accessToken));
    expectBearerRefused(await userinfo(api, String(rotated.body.access_token)));
    const afterReplay = await refresh(api, String(rotated.body.refresh_token));
    expect(afterReplay.status).toBe(400);
    expect(afterReplay.body.error).toBe("invalid_grant");
  });

  it("of concurrent exchanges of one code exactly one succeeds, and the replay revokes its tokens", async () => {
    const p = pkce();
    const code = await codeFor(api, webAuthorizeParams(p));
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => exchange(api, { code, code_verifier: p.verifier })),
    );
    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.body.error === "invalid_grant")).toHaveLength(4);
    expectBearerRefused(await userinfo(api, String(winners[0]?.body.access_token)));
  });

  it("an expired code (older than 60 seconds) is refused", async () => {
    const p = pkce();
    const code = await codeFor(api, webAuthorizeParams(p));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    expectOAuthError(
      await exchange(api, { code, code_verifier: p.verifier }),
      400,
      invalidGrant("Authorization code has expired"),
    );
  });

  it("unknown codes, codes of other clients and clients without the grant are refused", async () => {
    const p = pkce();
    expectOAuthError(
      await exchange(api, { code: "not-a-code", code_verifier: p.verifier }),
      400,
      invalidGrant("Cannot decrypt the authorization code"),
    );
    const code = await codeFor(api, webAuthorizeParams(p));
    expectOAuthError(
      await exchange(api, {
        code,
        code_verifier: p.verifier,
        client_id: "partner",
        client_secret: "",
      }),
      400,
      invalidGrant("Authorization code was not issued to this client"),
    );
    const noCode = await exchange(api, { code_verifier: p.verifier });
    expect(noCode.body).toMatchObject({
      error: "invalid_request",
      hint: "Check the `code` parameter",
    });
    // A wrong client secret is a client authentication failure first.
    const badSecret = await exchange(api, { code, code_verifier: p.verifier, client_secret: "x" });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body.error).toBe("invalid_client");
    // The code survived all of that.
    expect((await exchange(api, { code, code_verifier: p.verifier })).status).toBe(200);
  });

  it("a code in the query string is refused (POST body only)", async () => {
    const response = await fetch(`${api.url}/oauth/token?code=abc`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=authorization_code",
    });
    expect(response.status).toBe(400);
  });

  it("a user blocked after the code was issued gets no tokens", async () => {
    const p = pkce();
    const code = await codeFor(api, webAuthorizeParams(p), "bob");
    const bob = api.services.users.findByNameOrMail("bob");
    api.services.users.setStatus(bob?.uid ?? 0, false);
    try {
      const response = await exchange(api, { code, code_verifier: p.verifier });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe("invalid_grant");
    } finally {
      api.services.users.setStatus(bob?.uid ?? 0, true);
    }
  });
});
