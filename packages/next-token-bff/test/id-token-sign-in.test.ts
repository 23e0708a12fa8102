import type { AuthOptions } from "next-auth";
import { afterEach, describe, expect, it } from "vitest";
import { loadBffConfig } from "../src/lib/config/bff-config.js";
import { BffError } from "../src/lib/errors/bff-error.js";
import { createDrupalProvider } from "../src/lib/providers/drupal.js";
import { userFromIdToken } from "../src/lib/providers/id-token-user.js";
import { createOAuth2PasswordProvider } from "../src/lib/providers/oauth2-password.js";
import type { UpstreamProvider } from "../src/lib/providers/types.js";
import { createBffCore as createBff } from "../src/lib/bff/bff.js";
import { memoryEndedSessionStore } from "../src/lib/session/ended-sessions.js";
import { type FakeRoute, fakeJwt, startFakeUpstream } from "./helpers/fake-upstream.js";

// Sign-in without the userinfo round trip when the password grant's response carries an
// OpenID Connect id_token (scope `openid`). Decisions tested here: an id_token that is not for
// us (aud/azp, iss, exp) or lacks a display claim is ignored and userinfo is asked, as before;
// an id_token naming another subject than the access token refuses the sign-in (misconfigured).

const NOW = 1_900_000_000_000;
const exp = NOW / 1000 + 300;
const issuer = "https://cms.example.com/";
const accessToken = fakeJwt({
  aud: "next-web",
  sub: "5",
  iss: issuer,
  scope: ["openid", "reader", "editor"],
  exp,
});
const idClaims = {
  iss: issuer,
  sub: "5",
  aud: "next-web",
  exp,
  iat: exp - 300,
  auth_time: exp - 300,
  name: "Alice Example",
  preferred_username: "alice",
  email: "alice@example.com",
  email_verified: true,
};
const alice = {
  sub: "5",
  name: "Alice Example",
  username: "alice",
  email: "alice@example.com",
};

function fromIdToken(claims: Record<string, unknown>, options: { issuer?: string } = {}) {
  return userFromIdToken(fakeJwt(claims), {
    clientId: "next-web",
    accessToken,
    now: NOW,
    ...options,
  });
}

describe("userFromIdToken", () => {
  it("builds the user from name, preferred_username and email; no roles from the requested scope", () => {
    // The access token's scope lists reader and editor: what was asked for, not what was granted.
    expect(fromIdToken(idClaims)).toEqual(alice);
    expect(fromIdToken(idClaims)).not.toHaveProperty("roles");
  });

  it("takes a roles claim when the id_token has one (the reference API's userinfo extension)", () => {
    expect(fromIdToken({ ...idClaims, roles: ["editor"] })?.roles).toEqual(["editor"]);
  });

  it("reads the configured roles claim, dots reaching into objects (UPSTREAM_ROLES_CLAIM)", () => {
    const user = userFromIdToken(
      fakeJwt({ ...idClaims, realm_access: { roles: ["reader", "authenticated"] } }),
      { clientId: "next-web", accessToken, now: NOW, rolesClaim: "realm_access.roles" },
    );
    expect(user?.roles).toEqual(["reader"]);
  });

  it("accepts an audience array naming us, and azp when it is us", () => {
    expect(fromIdToken({ ...idClaims, aud: ["other", "next-web"], azp: "next-web" })).toEqual(
      alice,
    );
    expect(fromIdToken({ ...idClaims, aud: ["next-web"] })).toEqual(alice);
  });

  it("ignores an id_token for another client (aud or azp)", () => {
    expect(fromIdToken({ ...idClaims, aud: "other-client" })).toBeUndefined();
    expect(fromIdToken({ ...idClaims, aud: ["other", "next-web"], azp: "other" })).toBeUndefined();
    expect(fromIdToken({ ...idClaims, aud: undefined })).toBeUndefined();
  });

  it("ignores an id_token from another issuer: the configured one, else the access token's", () => {
    expect(fromIdToken({ ...idClaims, iss: "https://cms.example.com" })).toEqual(alice);
    expect(fromIdToken({ ...idClaims, iss: "https://evil.example/" })).toBeUndefined();
    expect(fromIdToken(idClaims, { issuer: "https://other.example" })).toBeUndefined();
    expect(
      fromIdToken(
        { ...idClaims, iss: "https://other.example" },
        { issuer: "https://other.example/" },
      ),
    ).toEqual(alice);
  });

  it("ignores an expired id_token or one without exp", () => {
    expect(fromIdToken({ ...idClaims, exp: NOW / 1000 })).toBeUndefined();
    expect(fromIdToken({ ...idClaims, exp: undefined })).toBeUndefined();
  });

  it("ignores an id_token without one of the display claims or sub", () => {
    for (const claim of ["name", "preferred_username", "email", "sub"]) {
      expect(fromIdToken({ ...idClaims, [claim]: undefined }), claim).toBeUndefined();
    }
    expect(fromIdToken({ ...idClaims, email: "" })).toBeUndefined();
  });

  it("ignores what is not a JWT", () => {
    const expected = { clientId: "next-web", accessToken, now: NOW };
    expect(userFromIdToken(undefined, expected)).toBeUndefined();
    expect(userFromIdToken(42, expected)).toBeUndefined();
    expect(userFromIdToken("not-a-jwt", expected)).toBeUndefined();
  });

  it("refuses an id_token that names another subject than the access token (misconfigured)", () => {
    const error = (() => {
      try {
        fromIdToken({ ...idClaims, sub: "6" });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BffError);
    expect((error as BffError).code).toBe("misconfigured");
  });

  it("compares no subject when the access token is opaque", () => {
    const user = userFromIdToken(fakeJwt({ ...idClaims, sub: "6" }), {
      clientId: "next-web",
      accessToken: "opaque-token",
      now: NOW,
    });
    expect(user).toEqual({ ...alice, sub: "6" });
  });
});

// --- Through the providers and next-auth's authorize, against a fake upstream ---------------

const liveExp = Math.floor(Date.now() / 1000) + 300;
const liveAccess = fakeJwt({
  aud: "next-web",
  sub: "5",
  scope: ["openid", "editor"],
  exp: liveExp,
});
const liveId = (claims: Record<string, unknown> = {}) =>
  fakeJwt({ ...idClaims, iss: undefined, exp: liveExp, ...claims });
const tokenReply = (extra: Record<string, unknown> = {}) => ({
  token_type: "Bearer",
  expires_in: 300,
  access_token: liveAccess,
  refresh_token: "r1",
  ...extra,
});
const userinfo = { ...idClaims, iss: undefined, name: "Alice (userinfo)", roles: ["editor"] };

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function upstreamWith(routes: Record<string, FakeRoute>) {
  const upstream = await startFakeUpstream(routes);
  stop = upstream.close;
  return upstream;
}

type Authorize = (credentials: Record<string, string>) => Promise<unknown>;
type JwtCallback = NonNullable<NonNullable<AuthOptions["callbacks"]>["jwt"]>;

/** Signs in through the Credentials provider's authorize and the jwt callback, like next-auth. */
async function signInThroughBff(provider: UpstreamProvider) {
  const bff = createBff({
    config: loadBffConfig({
      UPSTREAM_URL: "http://127.0.0.1:4000",
      UPSTREAM_CLIENT_ID: "next-web",
      UPSTREAM_CLIENT_SECRET: "s",
      NEXTAUTH_URL: "https://app.example.com",
      NEXTAUTH_SECRET: "x".repeat(40),
    }),
    provider,
    endedSessions: memoryEndedSessionStore(),
    log: () => undefined,
  });
  const options = bff.authOptions;
  const authorize = (options.providers[0] as unknown as { options: { authorize: Authorize } })
    .options.authorize;
  const user = await authorize({ username: "alice", password: "pw" });
  const jwt = options.callbacks?.jwt as JwtCallback;
  return jwt({ token: {}, user: user as never, account: null, trigger: "signIn" });
}

function drupal(url: string): UpstreamProvider {
  return createDrupalProvider({
    baseUrl: url,
    clientId: "next-web",
    clientSecret: "s",
    scope: "openid editor",
  });
}

describe("sign-in with an id_token in the password grant's response", () => {
  it("Drupal: the user comes from the id_token and userinfo is not called", async () => {
    const upstream = await upstreamWith({
      "POST /oauth/token": () => ({
        json: tokenReply({ id_token: liveId({ roles: ["editor"] }) }),
      }),
      "GET /oauth/userinfo": () => ({ json: userinfo }),
    });
    const signedIn = await drupal(upstream.url).signIn({ username: "alice", password: "pw" });
    expect(signedIn.user).toEqual({ ...alice, roles: ["editor"] });
    expect(upstream.requests.map((request) => request.path)).toEqual(["/oauth/token"]);
    expect(upstream.requests[0]?.form.get("scope")).toBe("openid editor");
  });

  it("Drupal: an id_token without roles asks /oauth/debug, never shows the requested scope", async () => {
    let debug: unknown = { roles: ["reader"] };
    const upstream = await upstreamWith({
      "POST /oauth/token": () => ({ json: tokenReply({ id_token: liveId() }) }),
      "GET /oauth/debug": () => (debug === null ? { status: 403, json: {} } : { json: debug }),
    });
    const provider = drupal(upstream.url);
    const signIn = () => provider.signIn({ username: "alice", password: "pw" });
    // simple_oauth 6.x: the granted roles are the scope's roles the user holds (here: reader).
    expect((await signIn()).user).toEqual({ ...alice, roles: ["reader"] });
    expect(upstream.requests.map((request) => request.path)).toEqual([
      "/oauth/token",
      "/oauth/debug",
    ]);
    // Without the debug permission nothing exposes them: no roles rather than the scope asked for.
    debug = null;
    expect((await signIn()).user?.roles).toEqual([]);
  });

  it("the session JWT holds only what it held before: no id_token, no user hint among the tokens", async () => {
    const upstream = await upstreamWith({
      "POST /oauth/token": () => ({ json: tokenReply({ id_token: liveId() }) }),
    });
    const token = await signInThroughBff(drupal(upstream.url));
    expect(token.user).toEqual({ ...alice, roles: [] });
    expect(Object.keys(token).sort()).toEqual(
      [
        "sessionId",
        "user",
        "accessToken",
        "accessTokenExpiresAt",
        "refreshToken",
        "refreshTokenExpiresAt",
        "authTime",
        "lastActivityAt",
        // Session generations (issue 18): which refresh made the tokens, when they were issued.
        "generation",
        "accessTokenIssuedAt",
      ].sort(),
    );
    expect(JSON.stringify(token)).not.toContain(liveId().split(".")[1]);
    expect(upstream.requests.map((request) => request.path)).toEqual([
      "/oauth/token",
      "/oauth/debug",
    ]);
  });

  it("without an id_token, the sign-in asks userinfo as before", async () => {
    const upstream = await upstreamWith({
      "POST /oauth/token": () => ({ json: tokenReply() }),
      "GET /oauth/userinfo": () => ({ json: userinfo }),
    });
    const token = await signInThroughBff(drupal(upstream.url));
    expect(token.user).toMatchObject({ name: "Alice (userinfo)", roles: ["editor"] });
    expect(upstream.requests.map((request) => request.path)).toEqual([
      "/oauth/token",
      "/oauth/userinfo",
    ]);
  });

  it("an id_token for another client or without email falls back to userinfo", async () => {
    for (const idToken of [liveId({ aud: "other-client" }), liveId({ email: undefined })]) {
      const upstream = await upstreamWith({
        "POST /oauth/token": () => ({ json: tokenReply({ id_token: idToken }) }),
        "GET /oauth/userinfo": () => ({ json: userinfo }),
      });
      const token = await signInThroughBff(drupal(upstream.url));
      expect(token.user).toMatchObject({ name: "Alice (userinfo)" });
      expect(upstream.requests).toHaveLength(2);
      await stop?.();
      stop = undefined;
    }
  });

  it("an id_token naming another subject refuses the sign-in with misconfigured", async () => {
    const upstream = await upstreamWith({
      "POST /oauth/token": () => ({ json: tokenReply({ id_token: liveId({ sub: "6" }) }) }),
      "GET /oauth/userinfo": () => ({ json: userinfo }),
    });
    await expect(signInThroughBff(drupal(upstream.url))).rejects.toThrow(/^misconfigured$/);
    expect(upstream.requests).toHaveLength(1);
  });

  it("generic OAuth 2.0 provider: checks iss against its configured issuer", async () => {
    const upstream = await upstreamWith({
      "POST /token": () => ({ json: tokenReply({ id_token: liveId({ iss: issuer }) }) }),
    });
    const provider = (configuredIssuer: string) =>
      createOAuth2PasswordProvider({
        tokenUrl: `${upstream.url}/token`,
        clientId: "next-web",
        clientSecret: "s",
        issuer: configuredIssuer,
      });
    const credentials = { username: "alice", password: "pw" };
    expect((await provider(issuer).signIn(credentials)).user?.username).toBe("alice");
    expect((await provider("https://other.example/").signIn(credentials)).user).toBeUndefined();
  });

  it("a custom provider whose signIn returns only tokens still works (fetchUser is asked)", async () => {
    const fetched: string[] = [];
    const provider: UpstreamProvider = {
      id: "custom",
      signIn: () =>
        Promise.resolve({
          accessToken: "a",
          accessTokenExpiresAt: Date.now() + 60_000,
          refreshToken: "r",
          refreshTokenExpiresAt: null,
        }),
      refresh: () => Promise.reject(new BffError("session_expired", "no")),
      revoke: () => Promise.resolve(),
      fetchUser: (tokens) => {
        fetched.push(tokens.accessToken);
        return Promise.resolve({ sub: "1", name: "N", username: "n", email: null, roles: [] });
      },
      classify: () => "accepted",
    };
    const token = await signInThroughBff(provider);
    expect(fetched).toEqual(["a"]);
    expect(token.user).toMatchObject({ sub: "1" });
  });
});
