import { afterEach, describe, expect, it } from "vitest";
import { BffError } from "../src/lib/errors/bff-error.js";
import { createDrupalProvider } from "../src/lib/providers/drupal.js";
import { type FakeRoute, fakeJwt, startFakeUpstream } from "./helpers/fake-upstream.js";

const accessToken = fakeJwt({ sub: "5", scope: ["editor"], exp: 1_900_000_000.25 });
const tokenReply = {
  access_token: accessToken,
  refresh_token: "r1",
  token_type: "Bearer",
  expires_in: 300,
};
const userinfo = {
  sub: "5",
  name: "Alice Example",
  preferred_username: "alice",
  email: "alice@example.com",
  email_verified: true,
  roles: ["editor"],
};

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function drupalWith(routes: Record<string, FakeRoute>) {
  const upstream = await startFakeUpstream(routes);
  stop = upstream.close;
  const provider = createDrupalProvider({
    baseUrl: upstream.url,
    clientId: "next-web",
    clientSecret: "next-web-secret",
    scope: "reader editor administrator",
  });
  return { provider, upstream };
}

async function failure(promise: Promise<unknown>): Promise<BffError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BffError);
  return error as BffError;
}

describe("drupal provider: sign-in", () => {
  it("sends a form-encoded password grant with client and scope, then reads userinfo", async () => {
    const { provider, upstream } = await drupalWith({
      "POST /oauth/token": () => ({ json: tokenReply }),
      "GET /oauth/userinfo": () => ({ json: userinfo }),
    });
    const tokens = await provider.signIn({ username: "alice", password: "alice-password" });
    const user = await provider.fetchUser(tokens);

    const tokenRequest = upstream.requests[0];
    expect(tokenRequest?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(tokenRequest?.form ?? [])).toEqual({
      grant_type: "password",
      username: "alice",
      password: "alice-password",
      scope: "reader editor administrator",
      client_id: "next-web",
      client_secret: "next-web-secret",
    });
    expect(tokens.refreshToken).toBe("r1");
    expect(tokens.accessTokenExpiresAt - Date.now()).toBeGreaterThan(295_000);
    expect((tokens.refreshTokenExpiresAt ?? 0) - Date.now()).toBeGreaterThan(1_209_000_000);
    expect(upstream.requests[1]?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(user).toEqual({
      sub: "5",
      name: "Alice Example",
      username: "alice",
      email: "alice@example.com",
      roles: ["editor"],
    });
  });

  it("takes the expiry from a float `exp` when `expires_in` is missing", async () => {
    const { provider } = await drupalWith({
      "POST /oauth/token": () => ({ json: { access_token: accessToken, refresh_token: "r1" } }),
    });
    const tokens = await provider.signIn({ username: "alice", password: "x" });
    expect(tokens.accessTokenExpiresAt).toBe(1_900_000_000_250);
  });

  it("maps a wrong password (400 invalid_grant) to invalid_credentials", async () => {
    const { provider } = await drupalWith({
      "POST /oauth/token": () => ({
        status: 400,
        json: { error: "invalid_grant", error_description: "The user credentials were incorrect." },
      }),
    });
    const error = await failure(provider.signIn({ username: "alice", password: "nope" }));
    expect(error.code).toBe("invalid_credentials");
  });

  it("maps 429 to too_many_attempts with the Retry-After seconds", async () => {
    const { provider } = await drupalWith({
      "POST /oauth/token": () => ({
        status: 429,
        headers: { "retry-after": "120" },
        json: { error: "too_many_attempts", error_description: "Too many failed sign-ins." },
      }),
    });
    const error = await failure(provider.signIn({ username: "alice", password: "nope" }));
    expect(error.code).toBe("too_many_attempts");
    expect(error.retryAfterSeconds).toBe(120);
  });

  it("maps a bad client secret to misconfigured and a 500 or no server to upstream_unavailable", async () => {
    const { provider } = await drupalWith({
      "POST /oauth/token": () => ({
        status: 401,
        json: { error: "invalid_client", error_description: "Client authentication failed" },
      }),
    });
    expect((await failure(provider.signIn({ username: "a", password: "b" }))).code).toBe(
      "misconfigured",
    );

    const broken = await drupalWith({ "POST /oauth/token": () => ({ status: 500, json: {} }) });
    expect((await failure(broken.provider.signIn({ username: "a", password: "b" }))).code).toBe(
      "upstream_unavailable",
    );

    const nowhere = createDrupalProvider({
      baseUrl: "http://127.0.0.1:9",
      clientId: "c",
      clientSecret: "s",
    });
    expect((await failure(nowhere.signIn({ username: "a", password: "b" }))).code).toBe(
      "upstream_unavailable",
    );
  });
});

describe("drupal provider: refresh, revoke, user fallback", () => {
  it("treats 6.x 400 invalid_grant and 5.x 401 invalid_request (+message) as session_expired", async () => {
    const replies = [
      {
        status: 400,
        json: {
          error: "invalid_grant",
          error_description: "The refresh token is invalid.",
          hint: "Token has been revoked",
        },
      },
      {
        status: 401,
        json: {
          error: "invalid_request",
          error_description: "The refresh token is invalid.",
          message: "The refresh token is invalid.",
        },
      },
    ];
    for (const reply of replies) {
      const { provider } = await drupalWith({ "POST /oauth/token": () => reply });
      expect((await failure(provider.refresh("r1"))).code).toBe("session_expired");
      await stop?.();
      stop = undefined;
    }
  });

  it("keeps a 503 during refresh temporary (upstream_unavailable, not session_expired)", async () => {
    const { provider } = await drupalWith({ "POST /oauth/token": () => ({ status: 503 }) });
    expect((await failure(provider.refresh("r1"))).code).toBe("upstream_unavailable");
  });

  it("sends the refresh grant with the refresh token and reads rotated tokens", async () => {
    const { provider, upstream } = await drupalWith({
      "POST /oauth/token": () => ({ json: { ...tokenReply, refresh_token: "r2" } }),
    });
    const tokens = await provider.refresh("r1");
    expect(upstream.requests[0]?.form.get("grant_type")).toBe("refresh_token");
    expect(upstream.requests[0]?.form.get("refresh_token")).toBe("r1");
    expect(tokens.refreshToken).toBe("r2");
  });

  it("revokes the refresh token (RFC 7009) and tolerates a site without the revoke module", async () => {
    const { provider, upstream } = await drupalWith({
      "POST /oauth/revoke": () => ({ status: 200 }),
    });
    const tokens = {
      accessToken,
      accessTokenExpiresAt: 0,
      refreshToken: "r1",
      refreshTokenExpiresAt: null,
    };
    await provider.revoke(tokens);
    expect(upstream.requests[0]?.form.get("token")).toBe("r1");
    expect(upstream.requests[0]?.form.get("token_type_hint")).toBe("refresh_token");
    // eslint-disable-next-line @typescript-eslint/unbound-method -- checks the optional method is absent; nothing calls it
    expect(provider.revokeAll).toBeUndefined();

    const withoutModule = await drupalWith({});
    await expect(withoutModule.provider.revoke(tokens)).resolves.toBeUndefined();
  });

  it("falls back to JSON:API meta.links.me when userinfo is off, with roles from a 5.x token's scope", async () => {
    const routes: Record<string, FakeRoute> = {
      "GET /jsonapi": () => ({
        json: {
          data: [],
          meta: {
            links: { me: { meta: { id: "uuid-5" }, href: `${baseUrl}/jsonapi/user/user/uuid-5` } },
          },
        },
      }),
      "GET /jsonapi/user/user/uuid-5": () => ({
        json: {
          data: {
            type: "user--user",
            id: "uuid-5",
            attributes: {
              display_name: "Alice Example",
              name: "alice",
              mail: "alice@example.com",
              drupal_internal__uid: 5,
            },
          },
        },
      }),
    };
    let baseUrl = "";
    const { provider, upstream } = await drupalWith(routes);
    baseUrl = upstream.url;
    const tokensWith = (scope: string[]) => ({
      accessToken: fakeJwt({ sub: "5", scope, exp: 1_900_000_000.25 }),
      accessTokenExpiresAt: 0,
      refreshToken: "r1",
      refreshTokenExpiresAt: null,
    });
    // simple_oauth 5.x narrows the scope to the user's roles and always adds `authenticated`.
    const user = await provider.fetchUser(tokensWith(["authenticated", "editor"]));
    expect(user).toEqual({
      sub: "5",
      name: "Alice Example",
      username: "alice",
      email: "alice@example.com",
      roles: ["editor"],
    });
    // A 6.x scope is what was asked for, not what the user holds: no roles shown.
    expect((await provider.fetchUser(tokensWith(["editor"]))).roles).toEqual([]);
  });

  it("classifies 401 as token_invalid, 403 as forbidden, the rest as accepted", () => {
    const provider = createDrupalProvider({
      baseUrl: "http://127.0.0.1:9",
      clientId: "c",
      clientSecret: "s",
    });
    const answer = (status: number, headers: Record<string, string> = {}) => ({
      status,
      headers,
      body: "",
    });
    expect(provider.classify(answer(401))).toBe("token_invalid");
    expect(provider.classify(answer(403))).toBe("forbidden");
    expect(provider.classify(answer(404))).toBe("accepted");
    // RFC 6750 §3.1: invalid_token in the challenge means a dead token, whatever the status.
    const challenge = { "www-authenticate": 'Bearer realm="api", error="invalid_token"' };
    expect(provider.classify(answer(403, challenge))).toBe("token_invalid");
    expect(provider.classify(answer(400, challenge))).toBe("token_invalid");
    const scope = { "www-authenticate": 'Bearer error="insufficient_scope"' };
    expect(provider.classify(answer(403, scope))).toBe("forbidden");
  });
});
