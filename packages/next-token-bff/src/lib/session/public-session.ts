import type { SessionClaims } from "./claims.js";
import { type LifetimePolicy, sessionEndsAt } from "./lifetime-policy.js";

/**
 * The session as the browser sees it (`/api/auth/session`, props of client components):
 * display fields and expiry times, never a token.
 */
export interface PublicSession {
  /** Display fields of the signed-in person. */
  user: {
    name: string;
    username: string;
    email: string | null;
    roles: string[];
  };
  /** ISO date, as next-auth's `Session.expires`: when the session ends at the latest. */
  expires: string;
  /** Epoch milliseconds, same moment as `expires`. */
  sessionExpiresAt: number;
  /** Epoch milliseconds: when the upstream access token expires (the token itself stays here). */
  accessTokenExpiresAt: number;
}

export function toPublicSession(claims: SessionClaims, policy: LifetimePolicy): PublicSession {
  const endsAtMs = sessionEndsAt(claims, policy) * 1000;
  const { name, username, email, roles } = claims.user;
  return {
    user: { name, username, email, roles: [...roles] },
    expires: new Date(endsAtMs).toISOString(),
    sessionExpiresAt: endsAtMs,
    accessTokenExpiresAt: claims.accessTokenExpiresAt,
  };
}
