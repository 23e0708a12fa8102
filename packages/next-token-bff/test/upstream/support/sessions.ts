import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import type { BffCore as Bff } from "../../../src/lib/bff/bff.js";
import { createBffCore as createBff } from "../../../src/lib/bff/bff.js";
import { loadBffConfig } from "../../../src/lib/config/bff-config.js";
import type { SessionClaims } from "../../../src/lib/session/claims.js";
import { splitSessionCookie } from "../../../src/lib/session/session-cookie.js";

export const APP_ORIGIN = "http://app.test:3000";
export const TEST_SECRET = "upstream-proxy-test-secret-0123456789abcdef";

export function testBff(upstreamUrl: string, env: Record<string, string> = {}): Bff {
  return createBff({
    config: loadBffConfig({
      UPSTREAM_URL: upstreamUrl,
      UPSTREAM_CLIENT_ID: "next-web",
      UPSTREAM_CLIENT_SECRET: "next-web-secret",
      NEXTAUTH_URL: APP_ORIGIN,
      NEXTAUTH_SECRET: TEST_SECRET,
      ...env,
    }),
    log: () => {},
  });
}

/** The claims the library's `jwt` callback writes at sign-in (`server/auth-options.ts`). */
export function claimsAtSignIn(
  user: SessionClaims["user"],
  tokens: Pick<
    SessionClaims,
    "accessToken" | "accessTokenExpiresAt" | "refreshToken" | "refreshTokenExpiresAt"
  >,
): SessionClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sessionId: randomBytes(18).toString("base64url"),
    user: { ...user },
    ...tokens,
    authTime: now,
    lastActivityAt: now,
  };
}

export function fakeClaims(overrides: Partial<SessionClaims> = {}): SessionClaims {
  return {
    ...claimsAtSignIn(
      { sub: "7", name: "Alice", username: "alice", email: null, roles: ["editor"] },
      {
        accessToken: `access-${randomBytes(8).toString("hex")}`,
        accessTokenExpiresAt: Date.now() + 300_000,
        refreshToken: `refresh-${randomBytes(8).toString("hex")}`,
        refreshTokenExpiresAt: Date.now() + 3_600_000,
      },
    ),
    ...overrides,
  };
}

/** A real password-grant sign-in through the library's provider, as next-auth would do it. */
export async function signIn(bff: Bff, username: string, password: string) {
  const tokens = await bff.provider.signIn({ username, password });
  const user = await bff.provider.fetchUser(tokens);
  return claimsAtSignIn(user, tokens);
}

/** The `Cookie` header next-auth would have set for these claims (chunked when long). */
export async function sessionCookie(bff: Bff, claims: SessionClaims): Promise<string> {
  const value = await encode({
    token: claims,
    secret: bff.config.secret,
    maxAge: bff.policy.absoluteLifetimeSeconds,
  });
  return splitSessionCookie(bff.cookieName, value)
    .map((part) => `${part.name}=${part.value}`)
    .join("; ");
}
