import type { SessionClaims } from "./claims.js";

/** Idle and absolute session limits, from `SESSION_IDLE_TIMEOUT` / `SESSION_MAX_AGE`. */
export interface LifetimePolicy {
  /** A session unused for this long ends. Seconds. */
  idleTimeoutSeconds: number;
  /** A session ends this long after sign-in, however active. Seconds. */
  absoluteLifetimeSeconds: number;
}

/**
 * When the session ends, in epoch seconds: the earliest of the idle limit, the absolute limit
 * and the refresh token's own expiry (a session must never outlive its refresh token).
 */
export function sessionEndsAt(claims: SessionClaims, policy: LifetimePolicy): number {
  const limits = [
    claims.lastActivityAt + policy.idleTimeoutSeconds,
    claims.authTime + policy.absoluteLifetimeSeconds,
  ];
  if (claims.refreshTokenExpiresAt !== null) {
    limits.push(Math.floor(claims.refreshTokenExpiresAt / 1000));
  }
  return Math.min(...limits);
}

export function nowInSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}
