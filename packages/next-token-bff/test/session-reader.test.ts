import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { memoryEndedSessionStore } from "../src/lib/session/ended-sessions.js";
import { createSessionReader } from "../src/lib/session/session-reader.js";
import { joinSessionCookie, splitSessionCookie } from "../src/lib/session/session-cookie.js";
import { sampleClaims } from "./helpers/claims.js";

const secret = "s".repeat(40);
const cookieName = "next-auth.session-token";
const policy = { idleTimeoutSeconds: 1800, absoluteLifetimeSeconds: 43_200 };
const endedSessions = memoryEndedSessionStore();
const readSession = createSessionReader({ secret, cookieName, policy, endedSessions });

async function cookieFor(token: Record<string, unknown>) {
  return [{ name: cookieName, value: await encode({ token, secret }) }];
}

describe("session reader", () => {
  it("accepts a live session and exposes display fields and expiries only", async () => {
    const result = await readSession(await cookieFor(sampleClaims()));
    expect(result.status).toBe("active");
    if (result.status !== "active") return;
    expect(JSON.stringify(result.session)).not.toMatch(/token-value/);
    expect(result.session.user).toEqual({
      name: "Alice",
      username: "alice",
      email: "alice@example.com",
      roles: ["editor"],
    });
  });

  it("A12 refuses a token that decrypts but is not one of our sessions", async () => {
    expect((await readSession(await cookieFor({}))).status).toBe("invalid");
    expect((await readSession(await cookieFor({ sub: "5", name: "x" }))).status).toBe("invalid");
    expect((await readSession([{ name: cookieName, value: "garbage" }])).status).toBe("invalid");
    expect((await readSession([])).status).toBe("none");
  });

  it("A8 ends a session idle for longer than the idle timeout", async () => {
    const idle = Math.floor(Date.now() / 1000) - policy.idleTimeoutSeconds - 1;
    expect(
      (await readSession(await cookieFor(sampleClaims({ lastActivityAt: idle })))).status,
    ).toBe("expired");
  });

  it("A8 ends an active session past its absolute lifetime or its refresh token's expiry", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = sampleClaims({
      authTime: now - policy.absoluteLifetimeSeconds - 1,
      lastActivityAt: now,
    });
    expect((await readSession(await cookieFor(old))).status).toBe("expired");
    const deadRefresh = sampleClaims({ refreshTokenExpiresAt: Date.now() - 1000 });
    expect((await readSession(await cookieFor(deadRefresh))).status).toBe("expired");
  });

  it("A9 A13 refuses a signed-out session and every older session of a user signed out everywhere", async () => {
    const claims = sampleClaims();
    const cookie = await cookieFor(claims);
    await endedSessions.endSession(claims.sessionId, claims.authTime + 60);
    expect((await readSession(cookie)).status).toBe("ended");

    const other = sampleClaims({ user: { ...claims.user, sub: "9" } });
    await endedSessions.endUserSessions("9", other.authTime, other.authTime + 60);
    expect((await readSession(await cookieFor(other))).status).toBe("ended");
    const later = sampleClaims({
      user: { ...claims.user, sub: "9" },
      authTime: other.authTime + 1,
    });
    expect((await readSession(await cookieFor(later))).status).toBe("active");
  });

  it("A3 joins chunked cookies in order and skips empty chunk values", async () => {
    const value = await encode({ token: sampleClaims({ accessToken: "a".repeat(6000) }), secret });
    const parts = splitSessionCookie(cookieName, value);
    expect(parts.length).toBeGreaterThan(1);
    const shuffled = [...parts].reverse().concat([{ name: `${cookieName}.9`, value: "" }]);
    expect(joinSessionCookie(shuffled, cookieName)).toBe(value);
    expect((await readSession(shuffled)).status).toBe("active");
    // A stale whole cookie beside chunks is not glued into something else.
    expect(
      joinSessionCookie([...parts, { name: cookieName, value: "stale" }], cookieName),
    ).toBeUndefined();
  });
});
