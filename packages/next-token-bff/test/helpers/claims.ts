import type { SessionClaims } from "../../src/lib/session/claims.js";

export function sampleClaims(overrides: Partial<SessionClaims> = {}): SessionClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sessionId: `session-${Math.random().toString(36).slice(2)}-xxxxxxxx`,
    user: {
      sub: "5",
      name: "Alice",
      username: "alice",
      email: "alice@example.com",
      roles: ["editor"],
    },
    accessToken: "access-token-value",
    accessTokenExpiresAt: Date.now() + 300_000,
    refreshToken: "refresh-token-value",
    refreshTokenExpiresAt: Date.now() + 1_209_600_000,
    authTime: now,
    lastActivityAt: now,
    ...overrides,
  };
}
