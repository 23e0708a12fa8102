import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/auth/hash.js";
import { WEB_CLIENT, type TestApi } from "../helpers/test-api.js";
import { request } from "../jsonapi/helpers.js";
import {
  bearerChallenge,
  expectOAuthError,
  INVALID_REQUEST,
  postForm,
  tokenRequest,
  userinfo,
  addOtherClient,
} from "../oauth/oauth-client.js";
import {
  clientIdOf,
  closeModes,
  passwordGrant,
  refreshGrant,
  signIn,
  startModes,
  type Modes,
} from "./helpers.js";

/**
 * API_COMPAT=5 against the default (6): the error shapes and endpoints of simple_oauth 5.2 on
 * league 8 (drupal-wire A.1, A.7, A.8, B.2). Rotation is strict here (no reuse interval), so a
 * used refresh token is a revoked one at once.
 */
let modes: Modes;
beforeAll(async () => {
  modes = await startModes({ REFRESH_REUSE_INTERVAL: "0" });
  for (const api of [modes.five, modes.six]) {
    addOtherClient(api);
  }
});
afterAll(async () => {
  await closeModes(modes);
});

/** league 8 copies `error_description` into a last `message` member; league 9 does not. */
function shaped(api: TestApi, body: Record<string, string>): Record<string, string> {
  return api.config.compat === 5 ? { ...body, message: body.error_description ?? "" } : body;
}

/** drupal-wire A.7: 6.x 400 invalid_grant, 5.x 401 invalid_request, same texts. */
function expectRefreshRefused(
  api: TestApi,
  response: Parameters<typeof expectOAuthError>[0],
  hint: string,
) {
  const five = api.config.compat === 5;
  expectOAuthError(
    response,
    five ? 401 : 400,
    shaped(api, {
      error: five ? "invalid_request" : "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint,
    }),
  );
  expect(response.headers.get("www-authenticate")).toBeNull();
}

describe("drupal-wire A.7 a bad, expired, revoked or foreign refresh token", () => {
  for (const mode of ["five", "six"] as const) {
    it(
      mode === "five"
        ? "5.x: 401 invalid_request with message"
        : "6.x: 400 invalid_grant without message",
      async () => {
        const api = modes[mode];
        expectRefreshRefused(
          api,
          await refreshGrant(api, "garbage"),
          "Cannot decrypt the refresh token",
        );

        const expiring = await signIn(api, "alice", "editor");
        api.services.db
          .prepare("UPDATE oauth_tokens SET expires = 0 WHERE value_hash = ?")
          .run(sha256(expiring.refreshToken));
        expectRefreshRefused(
          api,
          await refreshGrant(api, expiring.refreshToken),
          "Token has expired",
        );

        const used = await signIn(api, "alice", "editor");
        expect((await refreshGrant(api, used.refreshToken)).status).toBe(200);
        expectRefreshRefused(
          api,
          await refreshGrant(api, used.refreshToken),
          "Token has been revoked",
        );

        const foreign = await signIn(api, "alice", "editor");
        const stolen = await tokenRequest(api, {
          grant_type: "refresh_token",
          client_id:
            api.config.compat === 5
              ? (api.services.clients.find("other-app")?.uuid ?? "")
              : "other-app",
          client_secret: "other-app-secret",
          refresh_token: foreign.refreshToken,
        });
        expectRefreshRefused(api, stolen, "Token is not linked to client");
      },
    );
  }
});

describe("drupal-wire A.7 the other token-endpoint errors", () => {
  for (const mode of ["five", "six"] as const) {
    it(`${mode === "five" ? "5.x" : "6.x"}: wrong password, missing secret, missing grant type`, async () => {
      const api = modes[mode];
      const five = mode === "five";
      expectOAuthError(
        await passwordGrant(api, { password: "wrong" }),
        400,
        shaped(api, {
          error: "invalid_grant",
          error_description: "The user credentials were incorrect.",
        }),
      );

      // 5.x PasswordFunctionalTest: a confidential client without its secret is invalid_client.
      const noSecret = await passwordGrant(api, { client_secret: "" });
      if (five) {
        expectOAuthError(
          noSecret,
          401,
          shaped(api, {
            error: "invalid_client",
            error_description: "Client authentication failed",
          }),
        );
      } else {
        expectOAuthError(noSecret, 400, {
          error: "invalid_request",
          error_description: INVALID_REQUEST,
          hint: "Check the `client_secret` parameter",
        });
      }

      // 5.x finds no grant plugin: invalid_grant; 6.x: unsupported_grant_type.
      const noGrant = await passwordGrant(api, { grant_type: "" });
      expect(noGrant.status).toBe(400);
      expect(noGrant.body.error).toBe(five ? "invalid_grant" : "unsupported_grant_type");
      expect("message" in noGrant.body).toBe(five);
    });
  }
});

describe("drupal-wire A.1 B.2 a bad bearer token on a resource", () => {
  it("5.x: 401 without WWW-Authenticate, the hint as the detail (JSON:API and userinfo)", async () => {
    const api = modes.five;
    const res = await request(api, "GET", "/jsonapi/node/article", { token: "not.a.jwt" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(res.text).toContain("Access token could not be verified");

    const { accessToken, refreshToken } = await signIn(api, "alice", "editor");
    expect((await refreshGrant(api, refreshToken)).status).toBe(200);
    const replaced = await userinfo(api, accessToken);
    expect(replaced.status).toBe(401);
    expect(replaced.headers.get("www-authenticate")).toBeNull();
    expect(replaced.text).toContain("Access token has been revoked");
  });

  it("6.x: 401 with the Bearer challenge", async () => {
    const api = modes.six;
    const res = await request(api, "GET", "/jsonapi/node/article", { token: "not.a.jwt" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(bearerChallenge);
    const { accessToken, refreshToken } = await signIn(api, "alice", "editor");
    expect((await refreshGrant(api, refreshToken)).status).toBe(200);
    expect((await userinfo(api, accessToken)).headers.get("www-authenticate")).toMatch(
      /error_description="Access token has been revoked"/,
    );
  });
});

describe("drupal-wire A.6 A.8 the revocation endpoint", () => {
  it("5.x: none (404, as on a site without simple_oauth_revoke), and discovery names none", async () => {
    const api = modes.five;
    const { refreshToken } = await signIn(api, "alice", "editor");
    const res = await postForm(api, "/oauth/revoke", {
      token: refreshToken,
      client_id: clientIdOf(api),
      client_secret: WEB_CLIENT.secret,
    });
    expect(res.status).toBe(404);
    // Nothing was revoked.
    expect((await refreshGrant(api, refreshToken)).status).toBe(200);
    const discovery = (await (
      await fetch(`${api.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).not.toHaveProperty("revocation_endpoint");
    expect(discovery).toHaveProperty("token_endpoint");
  });

  it("6.x: RFC 7009 (200, the family revoked), named in discovery", async () => {
    const api = modes.six;
    const { refreshToken } = await signIn(api, "alice", "editor");
    const res = await postForm(api, "/oauth/revoke", {
      token: refreshToken,
      client_id: clientIdOf(api),
      client_secret: WEB_CLIENT.secret,
    });
    expect(res.status).toBe(200);
    expect((await refreshGrant(api, refreshToken)).status).toBe(400);
    const discovery = (await (
      await fetch(`${api.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery.revocation_endpoint).toBe(`${api.config.issuer}oauth/revoke`);
  });
});
