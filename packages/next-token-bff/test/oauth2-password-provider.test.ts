import { afterEach, describe, expect, it } from "vitest";
import { createOAuth2PasswordProvider } from "../src/lib/providers/oauth2-password.js";
import { fakeJwt, startFakeUpstream } from "./helpers/fake-upstream.js";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("generic OAuth 2.0 password-grant provider", () => {
  it("authenticates the client with HTTP Basic and reads the user from token claims", async () => {
    const accessToken = fakeJwt({
      sub: "u-1",
      preferred_username: "kim",
      name: "Kim",
      scope: "read write",
      roles: ["staff"],
    });
    const upstream = await startFakeUpstream({
      "POST /token": () => ({
        json: { access_token: accessToken, refresh_token: "r", expires_in: 60 },
      }),
    });
    stop = upstream.close;
    const provider = createOAuth2PasswordProvider({
      tokenUrl: `${upstream.url}/token`,
      clientId: "my client",
      clientSecret: "s:ecret",
      scope: "read write",
      clientAuthentication: "basic",
    });
    const tokens = await provider.signIn({ username: "kim", password: "pw" });
    const request = upstream.requests[0];
    const expected = Buffer.from("my%20client:s%3Aecret").toString("base64");
    expect(request?.headers.authorization).toBe(`Basic ${expected}`);
    expect(request?.headers["x-forwarded-for"]).toBeUndefined();
    expect(request?.form.has("client_secret")).toBe(false);
    expect(tokens.refreshTokenExpiresAt).toBeNull();
    expect(await provider.fetchUser(tokens)).toEqual({
      sub: "u-1",
      name: "Kim",
      username: "kim",
      email: null,
      // The token's roles claim, never its scope (what was asked for).
      roles: ["staff"],
    });
  });

  it("C1 sends the browser's address as X-Forwarded-For with the password grant", async () => {
    const upstream = await startFakeUpstream({
      "POST /token": () => ({
        json: { access_token: fakeJwt({ sub: "1" }), refresh_token: "r", expires_in: 60 },
      }),
    });
    stop = upstream.close;
    const provider = createOAuth2PasswordProvider({
      tokenUrl: `${upstream.url}/token`,
      clientId: "c",
      clientSecret: "s",
    });
    await provider.signIn({ username: "kim", password: "pw", clientAddress: "203.0.113.9" });
    expect(upstream.requests[0]?.headers["x-forwarded-for"]).toBe("203.0.113.9");
  });

  it("revokes one token (RFC 7009) and, when configured, all of them", async () => {
    const upstream = await startFakeUpstream({
      "POST /revoke": () => ({ status: 200 }),
      "POST /logout-all": () => ({ status: 204 }),
    });
    stop = upstream.close;
    const provider = createOAuth2PasswordProvider({
      tokenUrl: `${upstream.url}/token`,
      revocationUrl: `${upstream.url}/revoke`,
      revokeAllUrl: `${upstream.url}/logout-all`,
      clientId: "c",
      clientSecret: "s",
    });
    const tokens = {
      accessToken: "a",
      accessTokenExpiresAt: 0,
      refreshToken: "r",
      refreshTokenExpiresAt: null,
    };
    await provider.revoke(tokens);
    await provider.revokeAll?.(tokens);
    expect(upstream.requests.map((r) => r.path)).toEqual(["/revoke", "/logout-all"]);
    expect(upstream.requests[0]?.form.get("token")).toBe("r");
    expect(upstream.requests[1]?.headers.authorization).toBe("Bearer a");
  });

  it("has no revokeAll when the upstream offers none", () => {
    const provider = createOAuth2PasswordProvider({
      tokenUrl: "http://127.0.0.1:9/t",
      clientId: "c",
      clientSecret: "s",
    });
    // eslint-disable-next-line @typescript-eslint/unbound-method -- checks the optional method is absent; nothing calls it
    expect(provider.revokeAll).toBeUndefined();
  });
});
