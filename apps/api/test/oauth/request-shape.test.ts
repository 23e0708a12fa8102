import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import type { TestApi } from "../helpers/test-api.js";
import {
  basic,
  expectOAuthError,
  OAUTH_JSON,
  pairOf,
  tokenRequest,
  userinfo,
  type JsonResponse,
} from "./oauth-client.js";
import {
  alice,
  incorrect,
  invalidClient,
  invalidRequest,
  invalidScope,
  startRequestShapeApi,
  unsupportedGrant,
} from "./request-shape-fixture.js";

// Security catalogue C5/C6 and the token endpoint's wire details (drupal-wire A.2, A.7).
let api: TestApi;
beforeAll(async () => {
  api = await startRequestShapeApi();
});
afterAll(async () => {
  await api.close();
});

describe("C5 error codes and statuses", () => {
  it("missing or unknown grant_type, and a grant the client does not have, are unsupported_grant_type (simple_oauth 6.x)", async () => {
    const { grant_type: _grant, ...withoutGrant } = alice;
    expectOAuthError(await tokenRequest(api, withoutGrant), 400, unsupportedGrant);
    expectOAuthError(
      await tokenRequest(api, { ...alice, grant_type: "foo" }),
      400,
      unsupportedGrant,
    );
    for (const grant of ["client_credentials", "implicit", "__proto__"]) {
      expectOAuthError(
        await tokenRequest(api, { ...alice, grant_type: grant }),
        400,
        unsupportedGrant,
      );
    }
    // next-web has the code flow (issue 9); a client without it gets the same answer.
    expectOAuthError(
      await tokenRequest(api, {
        grant_type: "authorization_code",
        client_id: "service",
        client_secret: "service-secret",
        code: "x",
      }),
      400,
      unsupportedGrant,
    );
  });

  it("unknown scopes and scopes not enabled for the grant are invalid_scope", async () => {
    expectOAuthError(
      await tokenRequest(api, { ...alice, scope: "nope" }),
      400,
      invalidScope("nope"),
    );
    expectOAuthError(
      await tokenRequest(api, { ...alice, scope: "editor machine" }),
      400,
      invalidScope("machine"),
    );
  });

  it("client authentication failures", async () => {
    expectOAuthError(
      await tokenRequest(api, { ...alice, client_secret: "wrong" }),
      401,
      invalidClient,
    );
    expectOAuthError(
      await tokenRequest(api, { ...alice, client_id: "nobody" }),
      401,
      invalidClient,
    );

    const { client_id: _id, client_secret: _secret, ...noClient } = alice;
    for (const header of [
      basic("next-web", "wrong"),
      basic("nobody", "next-web-secret"),
      "Basic !!!not-base64!!!",
      `Basic ${Buffer.from("no-colon").toString("base64")}`,
      `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x41]).toString("base64")}`,
    ]) {
      const response = await tokenRequest(api, noClient, { authorization: header });
      expectOAuthError(response, 401, invalidClient);
      expect(response.headers.get("www-authenticate")).toBe('Basic realm="OAuth"');
    }
  });

  it("missing client_id or client_secret is invalid_request (league 9)", async () => {
    const { client_id: _id, ...noId } = alice;
    expectOAuthError(
      await tokenRequest(api, noId),
      400,
      invalidRequest("Check the `client_id` parameter"),
    );
    const { client_secret: _secret, ...noSecret } = alice;
    expectOAuthError(
      await tokenRequest(api, noSecret),
      400,
      invalidRequest("Check the `client_secret` parameter"),
    );
  });

  it("Basic and form credentials together are invalid_request", async () => {
    const response = await tokenRequest(api, alice, {
      authorization: basic("next-web", "next-web-secret"),
    });
    expectOAuthError(
      response,
      400,
      invalidRequest("Authenticate the client with HTTP Basic or with form parameters, not both"),
    );
  });

  it("Basic alone works (with or without a matching client_id field)", async () => {
    const { client_id: _id, client_secret: _secret, ...noClient } = alice;
    const header = { authorization: basic("next-web", "next-web-secret") };
    expect((await tokenRequest(api, noClient, header)).status).toBe(200);
    expect((await tokenRequest(api, { ...noClient, client_id: "next-web" }, header)).status).toBe(
      200,
    );
    expect((await tokenRequest(api, { ...noClient, client_id: "service" }, header)).status).toBe(
      400,
    );
  });

  it("C2 password grant: e-mail works; wrong password, unknown and blocked users are indistinguishable", async () => {
    const byMail = await tokenRequest(api, { ...alice, username: "alice@example.com" });
    expect(decodeJwt(pairOf(byMail).accessToken).sub).toBe("2");

    const wrong = await tokenRequest(api, { ...alice, password: "nope" });
    const unknown = await tokenRequest(api, { ...alice, username: "mallory" });
    api.services.users.setStatus(3, false);
    try {
      const blocked = await tokenRequest(api, {
        ...alice,
        username: "bob",
        password: "bob-password",
      });
      for (const response of [wrong, unknown, blocked]) {
        expectOAuthError(response, 400, incorrect);
        expect(response.text).toBe(wrong.text);
      }
    } finally {
      api.services.users.setStatus(3, true);
    }
  });

  it("C4 no passwords are trimmed or case-folded", async () => {
    for (const password of [" alice-password", "alice-password ", "ALICE-PASSWORD"]) {
      expectOAuthError(await tokenRequest(api, { ...alice, password }), 400, incorrect);
    }
  });

  it("a password grant without scope yields a token with no scopes and no roles (6.0.9)", async () => {
    const { accessToken } = pairOf(await tokenRequest(api, alice));
    expect(decodeJwt(accessToken).scope).toStrictEqual([]);
    const info = await userinfo(api, accessToken);
    expect(info.status).toBe(200);
    expect(info.body.roles).toStrictEqual([]);
  });
});

describe("C6 strict request shape", () => {
  it("GET and other methods get 405 in OAuth JSON", async () => {
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      const response = await fetch(`${api.url}/oauth/token?grant_type=password`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(response.headers.get("content-type")).toBe(OAUTH_JSON);
      expect(await response.json()).toStrictEqual({
        error: "invalid_request",
        error_description: "This endpoint only accepts POST requests.",
      });
    }
  });

  it("credentials in the query string are refused, even with a valid body", async () => {
    for (const query of [
      "password=alice-password",
      "client_secret=next-web-secret",
      "username=alice",
    ]) {
      const response = await fetch(`${api.url}/oauth/token?${query}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(alice).toString(),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.error).toBe("invalid_request");
      expect(body.hint).toMatch(/never in the URL/);
    }
  });

  it("a repeated parameter is invalid_request, even when both values are equal", async () => {
    const body = new URLSearchParams(alice).toString();
    expectOAuthError(
      await tokenRequest(api, `${body}&grant_type=refresh_token`),
      400,
      invalidRequest("The `grant_type` parameter must not be sent more than once"),
    );
    expectOAuthError(
      await tokenRequest(api, `${body}&password=alice-password`),
      400,
      invalidRequest("The `password` parameter must not be sent more than once"),
    );
  });

  it("array and object parameter names are refused without prototype pollution", async () => {
    const base = new URLSearchParams(alice).toString();
    for (const extra of [
      "password[]=x",
      "scope[foo]=bar",
      "username[$ne]=",
      "__proto__[polluted]=yes",
      "constructor[prototype][polluted]=yes",
    ]) {
      const response = await tokenRequest(api, `${base}&${extra}`);
      expect(response.status, extra).toBe(400);
      expect(response.body.error).toBe("invalid_request");
      expect(String(response.body.hint)).toMatch(/plain name=value pairs/);
    }
    // Without the real password, an array-style password is just a missing password.
    const { password: _password, ...noPassword } = alice;
    const arrayOnly = await tokenRequest(api, `${new URLSearchParams(noPassword)}&password[]=x`);
    expect(arrayOnly.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Plain `__proto__` and `constructor` parameters are only unknown parameters.
    const plain = await tokenRequest(api, `${base}&__proto__=x&constructor=y`);
    expect(plain.status, plain.text).toBe(200);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("a JSON body is refused with invalid_request about client_id; other media types with 415", async () => {
    const json = await fetch(`${api.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alice),
    });
    expect(json.status).toBe(400);
    expect(json.headers.get("content-type")).toBe(OAUTH_JSON);
    const jsonBody = (await json.json()) as Record<string, unknown>;
    expect(jsonBody.error).toBe("invalid_request");
    expect(jsonBody.hint).toContain("`client_id`");
    expect(jsonBody.hint).toContain("application/x-www-form-urlencoded");

    for (const [contentType, body] of [
      ["text/plain", new URLSearchParams(alice).toString()],
      ["application/xml", "<a/>"],
      ["", "grant_type=password"],
    ] as const) {
      const response = await fetch(`${api.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      });
      expect(response.status, contentType).toBe(415);
      expect(response.headers.get("content-type")).toBe(OAUTH_JSON);
      expect(await response.json()).toStrictEqual(
        invalidRequest("The request body must be application/x-www-form-urlencoded"),
      );
    }
  });

  it("empty values count as missing", async () => {
    expectOAuthError(
      await tokenRequest(api, { ...alice, password: "" }),
      400,
      invalidRequest("Check the `password` parameter"),
    );
    expectOAuthError(
      await tokenRequest(api, { ...alice, username: "" }),
      400,
      invalidRequest("Check the `username` parameter"),
    );
    expectOAuthError(
      await tokenRequest(api, { ...alice, client_secret: "" }),
      400,
      invalidRequest("Check the `client_secret` parameter"),
    );
    expectOAuthError(await tokenRequest(api, { ...alice, grant_type: "" }), 400, unsupportedGrant);
    // An empty scope is no scope.
    expect((await tokenRequest(api, { ...alice, scope: "" })).status).toBe(200);
  });

  it("an empty POST and a huge body are OAuth errors, never 500", async () => {
    const empty = await fetch(`${api.url}/oauth/token`, { method: "POST" });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toStrictEqual(invalidRequest("Check the `client_id` parameter"));

    const huge: JsonResponse = await tokenRequest(api, { ...alice, padding: "x".repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get("content-type")).toBe(OAUTH_JSON);
    expect(huge.body.error).toBe("invalid_request");

    const oddEncoding = await tokenRequest(api, "grant_type=%ZZ&username=%FF%FE&client_id=%00");
    expect(oddEncoding.status).toBe(401);
    expect(oddEncoding.body).toStrictEqual(invalidClient);
  });

  it("no error body carries a `message` member or internals", async () => {
    const responses = await Promise.all([
      tokenRequest(api, { ...alice, password: "x" }),
      tokenRequest(api, { ...alice, client_secret: "x" }),
      tokenRequest(api, { ...alice, grant_type: "x" }),
      tokenRequest(api, "a=1&a=2"),
    ]);
    for (const response of responses) {
      expect(response.body).not.toHaveProperty("message");
      expect(response.text).not.toMatch(/at .*\.ts|stack|SQLITE|\/work\//);
    }
  });
});
