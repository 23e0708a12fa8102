import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReferenceApi, startReferenceApi } from "../src/index.js";
import { ifStarted } from "../../../test-support/hooks.js";

describe("@next-token-bff/api startReferenceApi", () => {
  let api: ReferenceApi;
  beforeAll(async () => {
    api = await startReferenceApi();
  });
  afterAll(async () => {
    await ifStarted(api)?.close();
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

  it("with API_COMPAT=5 the client id it gives is next-web's UUID, and it signs in", async () => {
    const five = await startReferenceApi({ env: { API_COMPAT: "5" } });
    try {
      expect(five.clientId).toBe("a6a1f7fe-a77c-466d-a5a2-17098cec0c50");
      const response = await fetch(`${five.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          client_id: five.clientId,
          client_secret: five.clientSecret,
          username: "bob",
          password: "bob-password",
          scope: five.scope,
        }),
      });
      expect(response.status).toBe(200);
    } finally {
      await five.close();
    }
  });
});
