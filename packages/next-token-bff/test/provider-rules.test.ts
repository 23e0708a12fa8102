import { afterEach, describe, expect, it } from "vitest";
import { loadBffConfig } from "../src/lib/config/bff-config.js";
import { BffError } from "../src/lib/errors/bff-error.js";
import { createDrupalProvider } from "../src/lib/providers/drupal.js";
import { isNoRefreshToken } from "../src/lib/providers/no-refresh-token.js";
import { createOAuth2PasswordProvider } from "../src/lib/providers/oauth2-password.js";
import type { Logger } from "../src/lib/runtime/logger.js";
import { type FakeRoute, fakeJwt, startFakeUpstream } from "./helpers/fake-upstream.js";

/**
 * Issue 18 (scopes, logging) and issue 19 (no refresh token, blocked accounts, UPSTREAM_PATHS)
 * as the built-in providers and the configuration apply them.
 */
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

function recordingLogger() {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void =>
      void lines.push({ level, fields, message });
  const logger: Logger = { info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, lines };
}

async function oauth2With(routes: Record<string, FakeRoute>, extra: object = {}) {
  const upstream = await startFakeUpstream(routes);
  stop = upstream.close;
  const { logger, lines } = recordingLogger();
  const provider = createOAuth2PasswordProvider({
    tokenUrl: `${upstream.url}/token`,
    revocationUrl: `${upstream.url}/revoke`,
    userinfoUrl: `${upstream.url}/userinfo`,
    clientId: "c",
    clientSecret: "s",
    scope: "openid reader editor",
    logger,
    ...extra,
  });
  return { provider, upstream, lines };
}

const access = fakeJwt({ sub: "5", exp: Math.floor(Date.now() / 1000) + 300 });

describe("refresh_token grants (RFC 6749 §6)", () => {
  it("send no scope by default, and the configured one with sendScopeOnRefresh", async () => {
    const reply = () => ({ json: { access_token: access, refresh_token: "r2", expires_in: 300 } });
    const plain = await oauth2With({ "POST /token": reply });
    await plain.provider.refresh("r1");
    expect(plain.upstream.requests[0]?.form.has("scope")).toBe(false);
    await stop?.();
    const sending = await oauth2With({ "POST /token": reply }, { sendScopeOnRefresh: true });
    await sending.provider.refresh("r1");
    expect(sending.upstream.requests[0]?.form.get("scope")).toBe("openid reader editor");
  });

  it("log a refusal with its OAuth error code, never a token", async () => {
    const { provider, lines } = await oauth2With({
      "POST /token": () => ({
        status: 400,
        json: { error: "invalid_scope", error_description: "scope editor not granted" },
      }),
    });
    await expect(provider.refresh("the-refresh-token")).rejects.toMatchObject({
      code: "session_expired",
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", fields: { error: "invalid_scope" } });
    expect(JSON.stringify(lines)).not.toContain("the-refresh-token");
  });

  it("keep the old refresh token when the answer has none", async () => {
    const { provider } = await oauth2With({
      "POST /token": () => ({ json: { access_token: access, expires_in: 300 } }),
    });
    expect((await provider.refresh("r1")).refreshToken).toBe("r1");
  });
});

describe("a sign-in without a refresh token (no offline_access)", () => {
  it("works until the access token is due, says so in the log, and revokes the access token", async () => {
    const { provider, upstream, lines } = await oauth2With({
      "POST /token": () => ({ json: { access_token: access, expires_in: 120 } }),
      "GET /userinfo": () => ({ json: { sub: "5", preferred_username: "kim", roles: ["reader"] } }),
      "POST /revoke": () => ({ status: 200 }),
    });
    const tokens = await provider.signIn({ username: "kim", password: "pw" });
    expect(isNoRefreshToken(tokens.refreshToken)).toBe(true);
    expect(tokens.refreshTokenExpiresAt).toBe(tokens.accessTokenExpiresAt);
    expect((await provider.fetchUser(tokens)).roles).toEqual(["reader"]);
    expect(lines.map((line) => line.message).join("\n")).toMatch(
      /issued no refresh token.*offline_access/,
    );

    const before = upstream.requests.length;
    await expect(provider.refresh(tokens.refreshToken)).rejects.toMatchObject({
      code: "session_expired",
    });
    expect(upstream.requests.length).toBe(before); // nothing was sent
    await provider.revoke(tokens);
    const revocation = upstream.requests.at(-1);
    expect(revocation?.form.get("token")).toBe(access);
    expect(revocation?.form.get("token_type_hint")).toBe("access_token");
  });
});

describe("a blocked account: the token is issued, the user endpoint refuses it", () => {
  it("is account_disabled on the OAuth 2.0 provider and on Drupal (simple_oauth 5.x)", async () => {
    const routes: Record<string, FakeRoute> = {
      "POST /token": () => ({ json: { access_token: access, refresh_token: "r", expires_in: 60 } }),
      "POST /oauth/token": () => ({
        json: { access_token: access, refresh_token: "r", expires_in: 60 },
      }),
      "GET /userinfo": () => ({ status: 401, json: {} }),
      "GET /oauth/userinfo": () => ({ status: 401, json: {} }),
    };
    const { provider, upstream } = await oauth2With(routes);
    const tokens = await provider.signIn({ username: "blocked", password: "pw" });
    const drupal = createDrupalProvider({
      baseUrl: upstream.url,
      clientId: "c",
      clientSecret: "s",
    });
    for (const candidate of [provider, drupal]) {
      const error = await candidate.fetchUser(tokens).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BffError);
      expect((error as BffError).code).toBe("account_disabled");
    }
  });
});

describe("UPSTREAM_PATHS", () => {
  const env = {
    UPSTREAM_URL: "https://sso.example",
    UPSTREAM_CLIENT_ID: "c",
    UPSTREAM_CLIENT_SECRET: "s",
    NEXTAUTH_URL: "https://app.example",
    NEXTAUTH_SECRET: "x".repeat(40),
  };
  const problems = (extra: Record<string, string>) => {
    try {
      loadBffConfig({ ...env, ...extra });
    } catch (error) {
      return (error as BffError).message;
    }
    return "";
  };

  it("defaults to /jsonapi/ for drupal only; other kinds refuse to start without it", () => {
    expect(loadBffConfig(env).upstream.pathPrefixes).toEqual(["/jsonapi/"]);
    expect(problems({ UPSTREAM_KIND: "oidc" })).toContain(
      "UPSTREAM_PATHS is required when UPSTREAM_KIND=oidc",
    );
    const config = loadBffConfig({ ...env, UPSTREAM_KIND: "oidc", UPSTREAM_PATHS: "/api/, /v2" });
    expect(config.upstream.pathPrefixes).toEqual(["/api/", "/v2"]);
  });

  it("refuses prefixes that are not absolute, / alone, or could change the directory", () => {
    for (const value of ["api/", "/", "/api/../oauth", "//evil.example/", "/a?b"]) {
      expect(problems({ UPSTREAM_PATHS: value }), value).toContain("UPSTREAM_PATHS");
    }
  });
});
