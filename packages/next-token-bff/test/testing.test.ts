import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSessionClaims } from "../src/lib/session/claims.js";
import { type ReferenceApi, mintSessionCookie, startReferenceApi } from "../src/testing/index.js";

const secret = "a-test-secret-that-is-at-least-32-characters-long";

describe("next-token-bff/testing", () => {
  let api: ReferenceApi;
  beforeAll(async () => {
    api = await startReferenceApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("starts the reference API in-process with demo data, and a password grant works", async () => {
    const response = await fetch(`${api.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: api.clientId,
        client_secret: api.clientSecret,
        username: "alice",
        password: "alice-password",
        scope: api.scope,
      }),
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as { access_token: string };
    const articles = await fetch(`${api.url}/jsonapi/node/article`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(articles.status).toBe(200);
  });

  it("mints a session cookie with the library's claims that decrypts with the secret", async () => {
    const minted = await mintSessionCookie({ secret, accessToken: "at", user: { name: "Bob" } });
    expect(minted.cookies[0]?.name).toBe("next-auth.session-token");
    expect(minted.cookieHeader.startsWith("next-auth.session-token=")).toBe(true);
    const decoded = await decode({ token: minted.cookies[0]?.value, secret });
    const claims = readSessionClaims(decoded);
    expect(claims?.accessToken).toBe("at");
    expect(claims?.user.name).toBe("Bob");
  });

  it("uses the __Host- name for https apps", async () => {
    const minted = await mintSessionCookie({ secret, secureCookies: true });
    expect(minted.cookies[0]?.name).toBe("__Host-next-auth.session-token");
  });
});
