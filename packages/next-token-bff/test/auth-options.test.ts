import type { AuthOptions } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { loadBffConfig } from "../src/lib/config/bff-config.js";
import type { UpstreamProvider } from "../src/lib/providers/types.js";
import { createBffCore as createBff } from "../src/lib/bff/bff.js";
import { memoryEndedSessionStore } from "../src/lib/session/ended-sessions.js";
import { sampleClaims } from "./helpers/claims.js";

const tokens = {
  accessToken: "access-token-value",
  accessTokenExpiresAt: Date.now() + 300_000,
  refreshToken: "refresh-token-value",
  refreshTokenExpiresAt: Date.now() + 1_209_600_000,
};
const user = {
  sub: "5",
  name: "Alice",
  username: "alice",
  email: "alice@example.com",
  roles: ["editor"],
};

type Authorize = (
  credentials: Record<string, string>,
  request?: { headers: Record<string, string> },
) => Promise<unknown>;
const authorizeOf = (options: AuthOptions) =>
  (options.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

function setup(url = "https://app.example.com", env: Record<string, string> = {}) {
  const provider = {
    id: "fake",
    signIn: vi.fn<UpstreamProvider["signIn"]>(() => Promise.resolve(tokens)),
    refresh: vi.fn<UpstreamProvider["refresh"]>(() => Promise.resolve(tokens)),
    revoke: vi.fn<UpstreamProvider["revoke"]>(() => Promise.resolve()),
    fetchUser: vi.fn<UpstreamProvider["fetchUser"]>(() => Promise.resolve(user)),
    classify: () => "accepted",
  } satisfies UpstreamProvider;
  const config = loadBffConfig({
    UPSTREAM_URL: "http://127.0.0.1:4000",
    UPSTREAM_CLIENT_ID: "c",
    UPSTREAM_CLIENT_SECRET: "s",
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: "x".repeat(40),
    ...env,
  });
  const logged: string[] = [];
  const bff = createBff({
    config,
    provider,
    endedSessions: memoryEndedSessionStore(),
    log: (message, error) => void logged.push(`${message}: ${(error as Error).message}`),
  });
  return { bff, provider, options: bff.authOptions, logged };
}

type JwtCallback = NonNullable<NonNullable<AuthOptions["callbacks"]>["jwt"]>;
type SessionCallback = NonNullable<NonNullable<AuthOptions["callbacks"]>["session"]>;
const jwtOf = (options: AuthOptions) => options.callbacks?.jwt as JwtCallback;
const sessionOf = (options: AuthOptions) => options.callbacks?.session as SessionCallback;

describe("next-auth options", () => {
  it("A2 uses httpOnly, SameSite=Lax, Secure __Host- cookies under https, plain names under http", () => {
    const secure = setup().options.cookies?.sessionToken;
    expect(secure?.name).toBe("__Host-next-auth.session-token");
    expect(secure?.options).toMatchObject({
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: true,
    });
    expect(setup("http://localhost:3000").options.cookies?.sessionToken?.name).toBe(
      "next-auth.session-token",
    );
  });

  it("A1 signs in through the provider, stores tokens in the JWT and shows the browser no token", async () => {
    const { options } = setup();
    const signedIn = await authorizeOf(options)({ username: "alice", password: "pw" });
    const token = await jwtOf(options)({
      token: {},
      user: signedIn as never,
      account: null,
      trigger: "signIn",
    });
    expect(token).toMatchObject({
      accessToken: "access-token-value",
      refreshToken: "refresh-token-value",
      user,
    });

    const session = await sessionOf(options)({
      session: { expires: "" },
      token,
      user: undefined as never,
      newSession: undefined,
      trigger: "update",
    });
    const json = JSON.stringify(session);
    expect(json).not.toContain("access-token-value");
    expect(json).not.toContain("refresh-token-value");
    expect(session).toMatchObject({
      user: { name: "Alice", username: "alice", roles: ["editor"] },
    });
  });

  it("turns provider failures into the stable code carried as the error message", async () => {
    const { options, provider } = setup();
    const { BffError } = await import("../src/lib/errors/bff-error.js");
    vi.mocked(provider.signIn).mockRejectedValueOnce(
      new BffError("too_many_attempts", "x", { retryAfterSeconds: 60 }),
    );
    const authorize = authorizeOf(options);
    await expect(authorize({ username: "a", password: "b" })).rejects.toThrow(
      "too_many_attempts:60",
    );
    await expect(authorize({ username: "", password: "" })).rejects.toThrow("invalid_credentials");
  });

  it("C1 passes the browser's address to the upstream and stops calling it once the address is over its limit", async () => {
    const { options, provider, logged } = setup("https://app.example.com", {
      TRUSTED_PROXY_HOPS: "1",
      SIGN_IN_LIMIT_PER_ADDRESS: "2",
    });
    const { BffError } = await import("../src/lib/errors/bff-error.js");
    vi.mocked(provider.signIn).mockRejectedValue(new BffError("invalid_credentials", "no"));
    const authorize = authorizeOf(options);
    const from = (chain: string) => ({ headers: { "x-forwarded-for": chain } });

    for (const forged of ["10.0.0.1", "10.0.0.2"]) {
      await expect(
        authorize({ username: `u-${forged}`, password: "x" }, from(`${forged}, 203.0.113.5`)),
      ).rejects.toThrow("invalid_credentials");
    }
    expect(vi.mocked(provider.signIn).mock.calls.map(([c]) => c.clientAddress)).toEqual([
      "203.0.113.5",
      "203.0.113.5",
    ]);
    await expect(
      authorize({ username: "u-3", password: "x" }, from("10.0.0.3, 203.0.113.5")),
    ).rejects.toThrow(/^too_many_attempts:\d+$/);
    expect(provider.signIn).toHaveBeenCalledTimes(2);
    // Logged as a security event with the address, never with the name that was typed.
    expect(logged).toEqual([
      expect.stringMatching(
        /^sign-in refused by the sign-in limits: from 203\.0\.113\.5, retry in \d+ s$/,
      ),
    ]);

    // Another browser is not affected, and its right password signs in.
    vi.mocked(provider.signIn).mockResolvedValue(tokens);
    await expect(
      authorize({ username: "alice", password: "pw" }, from("203.0.113.6")),
    ).resolves.toBeTruthy();
  });

  it("C1 with TRUSTED_PROXY_HOPS=0 the address is the client's own choice: none is sent upstream", async () => {
    const { options, provider } = setup("https://app.example.com", { TRUSTED_PROXY_HOPS: "0" });
    await authorizeOf(options)(
      { username: "alice", password: "pw" },
      { headers: { "x-forwarded-for": "203.0.113.7" } },
    );
    expect(vi.mocked(provider.signIn).mock.calls.map(([c]) => c.clientAddress)).toEqual([
      undefined,
    ]);
  });

  it("C1 E3 an account with many failures from other addresses is slowed down, not refused, and the wait is logged without the name", async () => {
    const { options, provider, logged } = setup("https://app.example.com", {
      TRUSTED_PROXY_HOPS: "1",
      SIGN_IN_LIMIT_PER_ACCOUNT_ADDRESS: "1",
      SIGN_IN_LIMIT_ACCOUNT_DELAY_AFTER: "2",
      SIGN_IN_LIMIT_ACCOUNT_DELAY_MAX: "1",
    });
    const { BffError } = await import("../src/lib/errors/bff-error.js");
    vi.mocked(provider.signIn).mockRejectedValue(new BffError("invalid_credentials", "no"));
    const authorize = authorizeOf(options);
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    for (const address of ["203.0.113.1", "203.0.113.2"]) {
      await expect(authorize({ username: "alice", password: "x" }, from(address))).rejects.toThrow(
        "invalid_credentials",
      );
    }
    // The pair is full: refused at once, without asking the upstream.
    await expect(
      authorize({ username: "alice", password: "x" }, from("203.0.113.1")),
    ).rejects.toThrow(/^too_many_attempts:\d+$/);
    expect(provider.signIn).toHaveBeenCalledTimes(2);

    vi.mocked(provider.signIn).mockResolvedValue(tokens);
    const started = Date.now();
    await expect(
      authorize({ username: "alice", password: "pw" }, from("198.51.100.7")),
    ).resolves.toBeTruthy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(logged).toContainEqual(
      "sign-in slowed down by the account's failed sign-ins: from 198.51.100.7, waited 1 s",
    );
    expect(logged.join("\n")).not.toContain("alice");
  });

  it("A7 ignores client input on update: tokens, login time and roles cannot be changed", async () => {
    const { options } = setup();
    const claims = sampleClaims();
    const token = await jwtOf(options)({
      token: claims as unknown as JWT,
      trigger: "update",
      session: { accessToken: "x", authTime: 9_999_999_999, user: { roles: ["administrator"] } },
    } as never);
    expect(token).toEqual(claims);
  });

  it("A11 ends expired or foreign tokens instead of returning a half session", async () => {
    const { options } = setup();
    await expect(jwtOf(options)({ token: { sub: "5" } } as never)).rejects.toThrow();
    const stale = sampleClaims({ lastActivityAt: 0 });
    await expect(jwtOf(options)({ token: stale as unknown as JWT } as never)).rejects.toThrow();
  });

  it("A9 sign-out revokes the upstream refresh token and puts the session on the ended list", async () => {
    const { options, provider, bff } = setup();
    const claims = sampleClaims();
    await options.events?.signOut?.({
      token: claims,
      session: undefined as never,
    });
    expect(provider.revoke).toHaveBeenCalledWith(
      expect.objectContaining({ refreshToken: "refresh-token-value" }),
    );
    expect(
      await bff.endedSessions.isEnded({
        sessionId: claims.sessionId,
        sub: "5",
        authTime: claims.authTime,
      }),
    ).toBe(true);
  });
});
