import { statSync } from "node:fs";
import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/passwords.js";
import { rawRequest, type RawResponse } from "../helpers/raw-http.js";
import { startTestApi, type TestApi, WEB_CLIENT } from "../helpers/test-api.js";
import { basic, FORM, login, tokenRequest, webClient } from "../oauth/oauth-client.js";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * Catalogue cases of the token endpoint and the content API that the oauth/ and jsonapi/ suites
 * do not already cover (see docs/security.md for the whole map).
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    LOGIN_FAILURES_PER_USER: "1000",
    LOGIN_FAILURES_PER_IP: "1000",
    // The timing comparison needs answers the account-wide slow-down does not delay.
    LOGIN_SLOWDOWN_MAX_MS: "0",
  });
});
afterAll(async () => {
  await ifStarted(api)?.close();
});

function passwordGrant(username: string, password: string) {
  return tokenRequest(api, {
    grant_type: "password",
    ...webClient,
    username,
    password,
    scope: "editor",
  });
}

async function addUser(name: string, password: string) {
  return api.services.users.create({
    name,
    mail: null,
    passHash: await hashPassword(password),
    roles: ["editor"],
  });
}

describe("C3 password storage", () => {
  it("C3 Argon2id with m=19 MiB, t=2, p=1 and a unique salt per user; verification well under 1 s", async () => {
    const a = await addUser("c3-a", "same-password-for-both");
    const b = await addUser("c3-b", "same-password-for-both");
    for (const user of [a, b]) {
      expect(user.pass).toMatch(
        /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
      );
    }
    const salt = (hash: string) => hash.split("$")[4];
    expect(salt(a.pass)).not.toBe(salt(b.pass));
    expect(a.pass).not.toBe(b.pass);
    const started = performance.now();
    expect((await passwordGrant("c3-a", "same-password-for-both")).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("C4 no truncation or normalisation of passwords", () => {
  it("C4 an 80-character password: its first 72 bytes with another tail fail; 64+ characters work", async () => {
    const password = `${"p".repeat(72)}-tail-80`;
    expect(password).toHaveLength(80);
    await addUser("c4-long", password);
    expect((await passwordGrant("c4-long", password)).status).toBe(200);
    expect((await passwordGrant("c4-long", `${"p".repeat(72)}-other-8`)).status).toBe(400);
    expect((await passwordGrant("c4-long", "p".repeat(72))).status).toBe(400);
    const spaced = `  ${"s".repeat(64)}  `;
    await addUser("c4-spaces", spaced);
    expect((await passwordGrant("c4-spaces", spaced)).status).toBe(200);
    expect((await passwordGrant("c4-spaces", spaced.trim())).status).toBe(400);
    expect((await passwordGrant("c4-spaces", spaced.toUpperCase())).status).toBe(400);
  });
});

describe("C2 no user enumeration through timing", () => {
  it("C2 an unknown user costs about as much as a wrong password (a dummy hash is verified)", async () => {
    const median = async (username: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        const response = await passwordGrant(username, "wrong-password");
        times.push(performance.now() - started);
        expect(response.status).toBe(400);
      }
      times.sort((x, y) => x - y);
      return times[3] ?? 0;
    };
    await median("nobody-at-all"); // warm-up: the dummy hash is made once
    const known = await median("bob");
    const unknown = await median("nobody-at-all");
    // Without the dummy hash an unknown user answers in ~1 ms against ~50 ms.
    expect(unknown).toBeGreaterThan(known * 0.4);
    expect(unknown).toBeLessThan(known * 2.5);
  });
});

describe("C11 secrets compared in constant time; tokens stored hashed", () => {
  it("C11 neither the refresh token, the access token's jti nor a client secret is stored in clear", async () => {
    const { accessToken, refreshToken } = await login(api, "alice");
    const [, payload = ""] = accessToken.split(".");
    const { jti } = JSON.parse(Buffer.from(payload, "base64url").toString()) as { jti: string };
    const { db } = api.services;
    const dump = JSON.stringify([
      db.prepare("SELECT * FROM oauth_tokens").all(),
      db.prepare("SELECT * FROM oauth_clients").all(),
    ]);
    expect(dump).not.toContain(refreshToken);
    expect(dump).not.toContain(jti);
    expect(dump).not.toContain(webClient.client_secret);
    expect(dump).not.toContain(accessToken);
  });
});

describe("C12 signing key", () => {
  it("C12 RSA of at least 2048 bits; the database that holds it (and its WAL) is readable by its owner only", () => {
    const row = api.services.db
      .prepare("SELECT public_pem FROM signing_keys ORDER BY id DESC LIMIT 1")
      .get() as { public_pem: string };
    const key = createPublicKey(row.public_pem);
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(key.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
    for (const file of [api.databasePath, `${api.databasePath}-wal`]) {
      expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
    }
  });
});

describe("D3 how the bearer token is sent", () => {
  async function articles(init: { query?: string; headers?: Record<string, string> } = {}) {
    const response = await fetch(`${api.url}/jsonapi/node/article${init.query ?? ""}`, {
      headers: init.headers,
    });
    await response.text();
    return response;
  }
  async function anonymousCount(init: { query?: string; headers?: Record<string, string> }) {
    const response = await fetch(`${api.url}/jsonapi/user/user${init.query ?? ""}`, {
      headers: init.headers,
    });
    await response.text();
    return response.status;
  }

  it("D3 a token in the query string or the form body is not a credential (the caller stays anonymous)", async () => {
    const { accessToken } = await login(api, "bob", "bob-password", "reader");
    // user--user needs a signed-in caller: anonymous gets Drupal's 403.
    expect(await anonymousCount({ headers: { authorization: `Bearer ${accessToken}` } })).toBe(200);
    expect(await anonymousCount({ query: `?access_token=${accessToken}` })).toBe(403);
    const viaBody = await fetch(`${api.url}/jsonapi/user/user`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `access_token=${accessToken}`,
    });
    expect(viaBody.status).not.toBe(200);
    expect(viaBody.status).toBeLessThan(500);
  });

  it("D3 the scheme is case-insensitive; no credentials is Drupal's anonymous 403 (deviation: not 401)", async () => {
    const { accessToken } = await login(api, "bob", "bob-password", "reader");
    for (const scheme of ["Bearer", "bearer", "BEARER"]) {
      expect(await anonymousCount({ headers: { authorization: `${scheme} ${accessToken}` } })).toBe(
        200,
      );
    }
    expect(await anonymousCount({})).toBe(403);
    const anonymous = await articles();
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get("www-authenticate")).toBeNull();
    expect((await articles({ headers: { authorization: `bearer ${accessToken}` } })).status).toBe(
      200,
    );
  });

  // Node's parser keeps only the first `authorization` line, so these go over a raw socket.
  function withAuthorizations(values: string[]): Array<[string, string]> {
    return values.map((value, i) => [i % 2 === 0 ? "Authorization" : "authorization", value]);
  }
  function expectJsonApiInvalidRequest(response: RawResponse, label: string) {
    expect(response.status, `${label}: ${response.body}`).toBe(400);
    expect(response.headers["content-type"], label).toBe("application/vnd.api+json");
    expect(response.headers["www-authenticate"], label).toMatch(
      /^Bearer realm="OAuth", error="invalid_request"/,
    );
    const body = JSON.parse(response.body) as {
      data?: unknown;
      errors?: Array<{ status: string }>;
    };
    expect(body.data, label).toBeUndefined();
    expect(body.errors?.[0]?.status, label).toBe("400");
  }
  function expectOAuthInvalidRequest(response: RawResponse, label: string) {
    expect(response.status, `${label}: ${response.body}`).toBe(400);
    expect(response.headers["content-type"], label).toBe("application/json; charset=UTF-8");
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body.error, label).toBe("invalid_request");
    expect(body.access_token, label).toBeUndefined();
  }

  it("D3 two Authorization headers on /jsonapi: 400 invalid_request (JSON:API document), whichever comes first", async () => {
    const { accessToken } = await login(api, "bob", "bob-password", "reader");
    const bearer = `Bearer ${accessToken}`;
    const get = (values: string[]) =>
      rawRequest(api.url, {
        method: "GET",
        path: "/jsonapi/user/user",
        headers: [["Accept", "application/vnd.api+json"], ...withAuthorizations(values)],
      });
    // The raw client itself: one header is served.
    expect((await get([bearer])).status).toBe(200);
    const cases: Record<string, string[]> = {
      "valid, then garbage": [bearer, "Bearer not-a-token"],
      "garbage, then valid": ["Bearer not-a-token", bearer],
      "the same token twice": [bearer, bearer],
      "bearer, then basic": [bearer, basic(WEB_CLIENT.id, WEB_CLIENT.secret)],
      "valid, then empty": [bearer, ""],
    };
    for (const [label, values] of Object.entries(cases)) {
      expectJsonApiInvalidRequest(await get(values), label);
    }
    const write = await rawRequest(api.url, {
      method: "POST",
      path: "/jsonapi/node/article",
      headers: [
        ["Content-Type", "application/vnd.api+json"],
        ...withAuthorizations([bearer, bearer]),
      ],
      body: JSON.stringify({ data: { type: "node--article", attributes: { title: "D3" } } }),
    });
    expectJsonApiInvalidRequest(write, "POST");
  });

  it("D3 two Authorization headers on /oauth/token, /oauth/revoke and /oauth/userinfo: 400 invalid_request (OAuth JSON)", async () => {
    const good = basic(WEB_CLIENT.id, WEB_CLIENT.secret);
    const wrong = basic(WEB_CLIENT.id, "not-the-secret");
    const grant = new URLSearchParams({
      grant_type: "password",
      username: "bob",
      password: "bob-password",
      scope: "reader",
    }).toString();
    const token = (values: string[]) =>
      rawRequest(api.url, {
        method: "POST",
        path: "/oauth/token",
        headers: [["Content-Type", FORM], ...withAuthorizations(values)],
        body: grant,
      });
    expect((await token([good])).status).toBe(200);
    for (const [label, values] of Object.entries({
      "token: good, then wrong": [good, wrong],
      "token: wrong, then good": [wrong, good],
      "token: good twice": [good, good],
    })) {
      expectOAuthInvalidRequest(await token(values), label);
    }

    const { accessToken, refreshToken } = await login(api, "bob", "bob-password", "reader");
    const revoke = await rawRequest(api.url, {
      method: "POST",
      path: "/oauth/revoke",
      headers: [["Content-Type", FORM], ...withAuthorizations([good, good])],
      body: new URLSearchParams({ token: refreshToken }).toString(),
    });
    expectOAuthInvalidRequest(revoke, "revoke");
    // Nothing was revoked: the refresh token still works.
    const refreshed = await tokenRequest(api, {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      ...webClient,
    });
    expect(refreshed.status, refreshed.text).toBe(200);

    const userinfo = await rawRequest(api.url, {
      method: "GET",
      path: "/oauth/userinfo",
      headers: withAuthorizations([`Bearer ${accessToken}`, `Bearer ${accessToken}`]),
    });
    expectOAuthInvalidRequest(userinfo, "userinfo");

    // The authorization endpoint answers people: the same refusal as its HTML error page.
    const page = await rawRequest(api.url, {
      method: "GET",
      path: "/oauth/authorize",
      headers: withAuthorizations([good, good]),
    });
    expect(page.status, page.body).toBe(400);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
  });
});
