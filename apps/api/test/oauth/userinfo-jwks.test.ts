import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/passwords.js";
import { startTestApi, TEST_ISSUER, type TestApi } from "../helpers/test-api.js";
import { expectBearerRefused, expectOAuthError, login, userinfo } from "./oauth-client.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  api.services.users.create({
    name: "nomail",
    mail: null,
    passHash: await hashPassword("nomail-password"),
    roles: ["reader"],
  });
});
afterAll(async () => {
  await api.close();
});

describe("GET|POST /oauth/userinfo", () => {
  it("answers GET and POST with the same claims", async () => {
    const { accessToken } = await login(api);
    const viaGet = await userinfo(api, accessToken, "GET");
    const viaPost = await userinfo(api, accessToken, "POST");
    expect(viaGet.status).toBe(200);
    expect(viaPost.status).toBe(200);
    expect(viaPost.body).toStrictEqual(viaGet.body);
    expect(viaGet.headers.get("cache-control")).toBe("no-store");
  });

  it("anonymous callers get 403", async () => {
    expectOAuthError(await userinfo(api, undefined), 403, {
      error: "access_denied",
      error_description: "The user info endpoint needs a valid access token of a user.",
    });
  });

  it("roles are those the token's scopes grant and the user holds (extension member)", async () => {
    const admin = await login(api, "admin", "admin-password", "administrator reader");
    expect((await userinfo(api, admin.accessToken)).body).toMatchObject({
      sub: "1",
      preferred_username: "admin",
      profile: `${TEST_ISSUER}user/1`,
      roles: ["administrator"],
    });
    // bob is a reader: an editor scope grants him nothing.
    const bob = await login(api, "bob", "bob-password", "editor");
    expect((await userinfo(api, bob.accessToken)).body).toMatchObject({ sub: "3", roles: [] });
  });

  it("a user without e-mail gets no email claims", async () => {
    const { accessToken } = await login(api, "nomail", "nomail-password", "reader");
    const { body } = await userinfo(api, accessToken);
    expect(body).not.toHaveProperty("email");
    expect(body).not.toHaveProperty("email_verified");
    expect(body.preferred_username).toBe("nomail");
  });

  it("a blocked user's token is refused with the 401 challenge", async () => {
    const { accessToken } = await login(api, "bob", "bob-password", "reader");
    api.services.users.setStatus(3, false);
    try {
      expectBearerRefused(await userinfo(api, accessToken));
    } finally {
      api.services.users.setStatus(3, true);
    }
  });

  it("other methods get 405", async () => {
    const response = await fetch(`${api.url}/oauth/userinfo`, { method: "DELETE" });
    expect(response.status).toBe(405);
  });
});

describe("C12 GET /oauth/jwks", () => {
  it("is public and publishes only the public RSA members", async () => {
    const response = await fetch(`${api.url}/oauth/jwks`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const body = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(Object.keys(body)).toStrictEqual(["keys"]);
    expect(body.keys).toHaveLength(1);
    const key = body.keys[0] ?? {};
    expect(Object.keys(key).sort()).toStrictEqual(["alg", "e", "kty", "n", "use"]);
    expect(key).toMatchObject({ kty: "RSA", e: "AQAB", alg: "RS256", use: "sig" });
    // 2048-bit modulus: 256 bytes.
    expect(Buffer.from(key.n ?? "", "base64url").length).toBeGreaterThanOrEqual(256);
  });

  it("other methods get 405", async () => {
    const response = await fetch(`${api.url}/oauth/jwks`, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});
