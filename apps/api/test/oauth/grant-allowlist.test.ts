import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import type { TestApi } from "../helpers/test-api.js";
import { expectOAuthError, tokenRequest, userinfo, webClient } from "./oauth-client.js";
import {
  alice,
  invalidClient,
  invalidRequest,
  startRequestShapeApi,
  unsupportedGrant,
} from "./request-shape-fixture.js";

// Security catalogue C13: which client may use which grant.
let api: TestApi;
beforeAll(async () => {
  api = await startRequestShapeApi();
});
afterAll(async () => {
  await api.close();
});

describe("C13 grant allowlist and client_credentials", () => {
  const service = {
    grant_type: "client_credentials",
    client_id: "service",
    client_secret: "service-secret",
  };

  it("the web client may not use client_credentials", async () => {
    expectOAuthError(
      await tokenRequest(api, { ...service, ...webClient, scope: "reader" }),
      400,
      unsupportedGrant,
    );
  });

  it("a confidential client with a default user gets an access token without refresh token", async () => {
    const response = await tokenRequest(api, { ...service, scope: "reader machine" });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toStrictEqual(["token_type", "expires_in", "access_token"]);
    const token = String(response.body.access_token);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: "1", aud: "service", scope: ["reader", "machine"] });
    const info = await userinfo(api, token);
    expect(info.status).toBe(200);
    expect(info.body.sub).toBe("1");
  });

  it("scope is required unless the client has default scopes", async () => {
    expectOAuthError(
      await tokenRequest(api, service),
      400,
      invalidRequest("Check the `scope` parameter"),
    );
    const defaults = await tokenRequest(api, { ...service, client_id: "service-defaults" });
    expect(defaults.status).toBe(200);
    expect(decodeJwt(String(defaults.body.access_token))).toMatchObject({
      sub: "3",
      scope: ["reader"],
    });
  });

  it("client_credentials refuses a client without default user, a public client and a wrong secret", async () => {
    expectOAuthError(
      await tokenRequest(api, { ...service, client_id: "service-no-user", scope: "reader" }),
      400,
      {
        error: "unauthorized_client",
        error_description:
          "The authenticated client is not authorized to use this authorization grant type.",
        hint: "The client has no default user",
      },
    );
    expectOAuthError(
      await tokenRequest(api, {
        grant_type: "client_credentials",
        client_id: "public-app",
        scope: "reader",
      }),
      401,
      invalidClient,
    );
    expectOAuthError(
      await tokenRequest(api, { ...service, client_secret: "wrong", scope: "reader" }),
      401,
      invalidClient,
    );
  });

  it("a public client may use the password grant without a secret only if configured so", async () => {
    const response = await tokenRequest(api, {
      grant_type: "password",
      client_id: "public-app",
      username: "alice",
      password: "alice-password",
    });
    expect(response.status).toBe(200);
    // The demo web client is confidential: no secret, no token.
    const { client_secret: _secret, ...noSecret } = alice;
    expect((await tokenRequest(api, noSecret)).status).toBe(400);
  });
});
