import type { SessionClaims } from "./claims.js";

type DueClaims = Pick<SessionClaims, "accessTokenExpiresAt" | "accessTokenIssuedAt">;

/**
 * The refresh skew for a token: at most half its lifetime, so a short-lived token (say 20 s
 * with a 30 s skew) is not refreshed on every request.
 */
export function effectiveSkewMs(claims: DueClaims, skewMs: number): number {
  const lifetime =
    claims.accessTokenIssuedAt === undefined
      ? undefined
      : claims.accessTokenExpiresAt - claims.accessTokenIssuedAt;
  return lifetime !== undefined && lifetime > 0 ? Math.min(skewMs, lifetime / 2) : skewMs;
}

/**
 * Whether the session's access token is due: it expires within the skew (see
 * {@link effectiveSkewMs}) of `now` (epoch ms). With a skew of 0, whether it has expired. The one
 * place that decides; every caller passes its clock, so tests need no fake timers.
 */
export function accessTokenDue(claims: DueClaims, skewMs: number, now: number): boolean {
  return claims.accessTokenExpiresAt - effectiveSkewMs(claims, skewMs) <= now;
}
