import { statSync } from "node:fs";
import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/passwords.js";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import { login, tokenRequest, webClient } from "../oauth/oauth-client.js";

/**
 * Catalogue cases of the token endpoint and the content API that the oauth/ and jsonapi/ suites
 * do not already cover (see docs/security.md for the whole map).
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ LOGIN_FAILURES_PER_USER: "1000", LOGIN_FAILURES_PER_IP: "1000" });
});
afterAll(async () => {
  await api?.close();
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
});
