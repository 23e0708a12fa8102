import type { OAuthConfig } from "next-auth/providers/oauth";
import { afterEach, describe, expect, it } from "vitest";
import { type BffConfig, loadBffConfig } from "../src/lib/config/bff-config.js";
import { BffError } from "../src/lib/errors/bff-error.js";
import { isNoRefreshToken } from "../src/lib/providers/no-refresh-token.js";
import { createOidcProvider, discoveryUrl } from "../src/lib/providers/oidc.js";
import type { UpstreamProvider, UpstreamTokens } from "../src/lib/providers/types.js";
import { createAuthOptions } from "../src/lib/sign-in/auth-options.js";
import {
  type CodeFlowProfile,
  codeFlowScope,
  createCodeFlowProvider,
} from "../src/lib/sign-in/code-flow-provider.js";
import { signedInUser } from "../src/lib/sign-in/signed-in-user.js";
import { createSignInLimiter } from "../src/lib/sign-in/sign-in-limiter.js";
import { memoryEndedSessionStore } from "../src/lib/session/ended-sessions.js";
import { fakeJwt, startFakeUpstream } from "./helpers/fake-upstream.js";

const base = {
  UPSTREAM_URL: "http://127.0.0.1:4000",
  UPSTREAM_CLIENT_ID: "next-web",
  UPSTREAM_CLIENT_SECRET: "next-web-secret",
  UPSTREAM_SCOPE: "reader editor",
  NEXTAUTH_URL: "https://app.example.com",
  NEXTAUTH_SECRET: "x".repeat(40),
};

function problemsOf(env: Record<string, string | undefined>): string {
  try {
    loadBffConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(BffError);
    return (error as BffError).message;
  }
  throw new Error("expected the configuration to be refused");
}

const user = { sub: "7", name: "Alice", username: "alice", email: null, roles: ["editor"] };
function fakeProvider(): UpstreamProvider & { seen: UpstreamTokens[] } {
  const seen: UpstreamTokens[] = [];
  return {
    id: "fake",
    seen,
    signIn: () => Promise.reject(new Error("not used")),
    refresh: () => Promise.reject(new Error("not used")),
    revoke: () => Promise.resolve(),
    fetchUser: (tokens) => {
      seen.push(tokens);
      return Promise.resolve(user);
    },
    classify: () => "accepted",
  };
}

/** Calls the provider's userinfo step the way next-auth does, with an openid-client-like token set. */
async function userinfoOf(provider: OAuthConfig<CodeFlowProfile>, tokens: Record<string, unknown>) {
  const userinfo = provider.userinfo;
  if (typeof userinfo !== "object" || !userinfo.request) throw new Error("no userinfo.request");
  const request = userinfo.request as (context: { tokens: unknown }) => Promise<unknown>;
  return (await request({ tokens })) as CodeFlowProfile;
}

describe("configuration of the sign-in methods", () => {
  it("defaults to both methods in demo mode and to the password form otherwise", () => {
    expect(loadBffConfig(base).signInMethods).toEqual(["password"]);
    expect(
      loadBffConfig({ ...base, DEMO_MODE: "1", NEXTAUTH_URL: "http://localhost:3000" })
        .signInMethods,
    ).toEqual(["password", "code"]);
    expect(loadBffConfig({ ...base, SIGN_IN_METHODS: "code" }).signInMethods).toEqual(["code"]);
    expect(loadBffConfig({ ...base, SIGN_IN_METHODS: " code , password" }).signInMethods).toEqual([
      "code",
      "password",
    ]);
  });

  it("reports a bad method list together with every other problem", () => {
    const message = problemsOf({
      ...base,
      SIGN_IN_METHODS: "password,magic-link",
      NEXTAUTH_SECRET: "short",
      UPSTREAM_KIND: "saml",
    });
    expect(message).toContain("SIGN_IN_METHODS must list `password` and/or `code`");
    expect(message).toContain("magic-link");
    expect(message).toContain("NEXTAUTH_SECRET");
    expect(message).toContain("UPSTREAM_KIND");
  });

  it("needs the authorization endpoint of an oauth2 upstream for the code flow", () => {
    const message = problemsOf({
      ...base,
      UPSTREAM_KIND: "oauth2",
      UPSTREAM_TOKEN_URL: "http://127.0.0.1:4000/token",
      SIGN_IN_METHODS: "code",
    });
    expect(message).toContain("UPSTREAM_AUTHORIZATION_URL is required");
  });

  it("offers only the configured next-auth providers", () => {
    const providersOf = (methods: string) => {
      const config = loadBffConfig({ ...base, SIGN_IN_METHODS: methods });
      const options = createAuthOptions({
        config,
        provider: fakeProvider(),
        endedSessions: memoryEndedSessionStore(),
        endSession: () => Promise.resolve(),
        signInLimiter: createSignInLimiter({ limits: config.signInLimits }),
        log: () => undefined,
      });
      return options.providers.map((provider) => provider.id);
    };
    expect(providersOf("password")).toEqual(["credentials"]);
    expect(providersOf("code")).toEqual(["upstream"]);
    expect(providersOf("password,code")).toEqual(["credentials", "upstream"]);
  });
});

describe("code-flow provider factory", () => {
  const config = (env: Record<string, string> = {}): BffConfig =>
    loadBffConfig({ ...base, SIGN_IN_METHODS: "password,code", ...env });

  it("Drupal: discovery, PKCE + state + nonce, client_secret_post, id_token, openid added", () => {
    const provider = createCodeFlowProvider({ config: config(), provider: fakeProvider() });
    expect(provider).toMatchObject({
      id: "upstream",
      name: "Drupal",
      type: "oauth",
      wellKnown: "http://127.0.0.1:4000/.well-known/openid-configuration",
      authorization: { params: { scope: "openid reader editor" } },
      clientId: "next-web",
      clientSecret: "next-web-secret",
      client: { token_endpoint_auth_method: "client_secret_post" },
      checks: ["pkce", "state", "nonce"],
      idToken: true,
    });
  });

  it("oauth2: explicit endpoints, PKCE + state, no id_token", () => {
    const provider = createCodeFlowProvider({
      config: config({
        UPSTREAM_KIND: "oauth2",
        UPSTREAM_PATHS: "/api/",
        UPSTREAM_NAME: "Example SSO",
        UPSTREAM_TOKEN_URL: "https://sso.example/token",
        UPSTREAM_AUTHORIZATION_URL: "https://sso.example/authorize",
      }),
      provider: fakeProvider(),
    });
    expect(provider).toMatchObject({
      name: "Example SSO",
      authorization: { url: "https://sso.example/authorize", params: { scope: "reader editor" } },
      token: "https://sso.example/token",
      checks: ["pkce", "state"],
      idToken: false,
    });
    expect(provider.wellKnown).toBeUndefined();
  });

  it("codeFlowScope puts openid first once", () => {
    expect(codeFlowScope("reader openid  editor", true)).toBe("openid reader editor");
    expect(codeFlowScope("", true)).toBe("openid");
    expect(codeFlowScope("reader", false)).toBe("reader");
  });

  it("builds the password sign-in's SignedInUser from the token set (same claims downstream)", async () => {
    const upstream = fakeProvider();
    const provider = createCodeFlowProvider({ config: config(), provider: upstream });
    const expiresAt = Math.floor(Date.now() / 1000) + 300;
    const profile = await userinfoOf(provider, {
      access_token: "at",
      refresh_token: "rt",
      token_type: "Bearer",
      expires_at: expiresAt,
      id_token: fakeJwt({ sub: "7", nonce: "n" }),
    });
    const tokens = upstream.seen[0];
    expect(tokens?.accessToken).toBe("at");
    expect(tokens?.refreshToken).toBe("rt");
    expect(Math.abs((tokens?.accessTokenExpiresAt ?? 0) - expiresAt * 1000)).toBeLessThan(2_000);
    expect(tokens?.refreshTokenExpiresAt).toBeGreaterThan(Date.now() + 1_209_000_000);
    const signedIn = await provider.profile(profile, {});
    expect(signedIn).toEqual(signedInUser(user, tokens as UpstreamTokens));
  });

  it("refuses userinfo about another subject than the id_token's", async () => {
    const provider = createCodeFlowProvider({ config: config(), provider: fakeProvider() });
    await expect(
      userinfoOf(provider, {
        access_token: "at",
        refresh_token: "rt",
        expires_at: Math.floor(Date.now() / 1000) + 300,
        id_token: fakeJwt({ sub: "8" }),
      }),
    ).rejects.toThrow(/different subjects/);
  });

  it("accepts a token response without a refresh token: the session ends with the access token", async () => {
    const upstream = fakeProvider();
    const provider = createCodeFlowProvider({ config: config(), provider: upstream });
    const expiresAt = Math.floor(Date.now() / 1000) + 300;
    const profile = await userinfoOf(provider, { access_token: "at", expires_at: expiresAt });
    const tokens = profile.upstreamTokens;
    expect(isNoRefreshToken(tokens.refreshToken)).toBe(true);
    expect(tokens.refreshTokenExpiresAt).toBe(tokens.accessTokenExpiresAt);
  });

  it("hands the verified id_token to fetchUser, which may take the person from it", async () => {
    const upstream = fakeProvider();
    const hints: unknown[] = [];
    const provider = createCodeFlowProvider({
      config: config(),
      provider: {
        ...upstream,
        fetchUser: (tokens, hint) => {
          hints.push(hint);
          return upstream.fetchUser(tokens);
        },
      },
    });
    const idToken = fakeJwt({ sub: "7", nonce: "n" });
    await userinfoOf(provider, { access_token: "at", refresh_token: "rt", id_token: idToken });
    expect(hints).toEqual([{ idToken }]);
  });
});

describe("generic OIDC provider from the discovery URL alone", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it("finds token, userinfo and revocation endpoints by discovery (once) and uses them", async () => {
    let issuer = "";
    const accessToken = fakeJwt({ sub: "u-1", scope: "reader" });
    const upstream = await startFakeUpstream({
      "GET /realms/demo/.well-known/openid-configuration": () => ({
        json: {
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/protocol/token`,
          userinfo_endpoint: `${issuer}/protocol/userinfo`,
          revocation_endpoint: `${issuer}/protocol/revoke`,
          jwks_uri: `${issuer}/certs`,
        },
      }),
      "POST /realms/demo/protocol/token": () => ({
        json: { access_token: accessToken, refresh_token: "r2", expires_in: 60 },
      }),
      "GET /realms/demo/protocol/userinfo": () => ({
        json: { sub: "u-1", preferred_username: "kim", roles: ["editor"] },
      }),
      "POST /realms/demo/protocol/revoke": () => ({ json: {} }),
    });
    stop = upstream.close;
    issuer = `${upstream.url}/realms/demo`;
    expect(discoveryUrl(issuer)).toBe(`${issuer}/.well-known/openid-configuration`);
    const provider = createOidcProvider({ issuer, clientId: "app", clientSecret: "secret" });

    const tokens = await provider.refresh("r1");
    expect(tokens.refreshToken).toBe("r2");
    expect((await provider.fetchUser(tokens)).roles).toEqual(["editor"]);
    await provider.revoke(tokens);
    const paths = upstream.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths).toEqual([
      "GET /realms/demo/.well-known/openid-configuration",
      "POST /realms/demo/protocol/token",
      "GET /realms/demo/protocol/userinfo",
      "POST /realms/demo/protocol/revoke",
    ]);
    expect(upstream.requests[1]?.form.get("grant_type")).toBe("refresh_token");
    expect(upstream.requests[1]?.form.get("client_secret")).toBe("secret");
  });

  it("refuses a discovery document naming another issuer, and tries discovery again later", async () => {
    const upstream = await startFakeUpstream({
      "GET /.well-known/openid-configuration": () => ({
        json: {
          issuer: "https://elsewhere.example/",
          authorization_endpoint: "https://elsewhere.example/auth",
          token_endpoint: "https://elsewhere.example/token",
        },
      }),
    });
    stop = upstream.close;
    const provider = createOidcProvider({
      issuer: `${upstream.url}/`,
      clientId: "app",
      clientSecret: "secret",
    });
    await expect(provider.refresh("r1")).rejects.toMatchObject({ code: "misconfigured" });
    await expect(provider.refresh("r1")).rejects.toMatchObject({ code: "misconfigured" });
    expect(upstream.requests).toHaveLength(2);
  });

  it("is what UPSTREAM_KIND=oidc builds, with the code flow from the same discovery", () => {
    const config = loadBffConfig({
      ...base,
      UPSTREAM_KIND: "oidc",
      UPSTREAM_URL: "https://sso.example/realms/demo",
      UPSTREAM_PATHS: "/api/",
      SIGN_IN_METHODS: "code",
    });
    const provider = createCodeFlowProvider({ config, provider: fakeProvider() });
    expect(provider.wellKnown).toBe(
      "https://sso.example/realms/demo/.well-known/openid-configuration",
    );
    expect(provider.name).toBe("OpenID Connect");
    expect(provider.idToken).toBe(true);
  });
});
