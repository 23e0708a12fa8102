import type { SessionClaims } from "./claims.js";

/**
 * Whether the session's access token is due: it expires within `skewMs` of `now` (epoch ms).
 * With a skew of 0, whether it has expired. The one place that decides; every caller passes
 * its clock, so tests need no fake timers.
 */
export function accessTokenDue(
  claims: Pick<SessionClaims, "accessTokenExpiresAt">,
  skewMs: number,
  now: number,
): boolean {
  return claims.accessTokenExpiresAt - skewMs <= now;
}
