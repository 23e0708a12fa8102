import type { SessionContext } from "./session-context.js";
import type { SessionClaims } from "./claims.js";
import { nowInSeconds } from "./lifetime-policy.js";
import { splitSessionCookie } from "./session-cookie.js";

/** A router prefetch: no one looked at the page, so it is no activity. */
export function isPrefetch(request: Request): boolean {
  return (
    request.headers.has("next-router-prefetch") ||
    request.headers.get("purpose") === "prefetch" ||
    request.headers.get("sec-purpose")?.includes("prefetch") === true
  );
}

/** Activity is written at most this often, so most requests do not re-encrypt the cookie. */
export const ACTIVITY_WRITE_INTERVAL_SECONDS = 60;

/** A re-encoded session cookie: the chunks to set and the stale chunks to delete. */
export interface SessionCookieWrite {
  /** The cookies to set: one, or next-auth's numbered chunks. */
  set: Array<{ name: string; value: string }>;
  /** Chunk names from the request that the new value no longer uses. */
  remove: string[];
}

/**
 * The cookie parts that record "the person did something now" (idle timeout), or null when the
 * last record is recent enough. Only real navigation counts: background session polls never
 * reach this.
 */
export async function recordActivity(
  bff: SessionContext,
  claims: SessionClaims,
  requestCookieNames: string[],
  now = Date.now(),
): Promise<SessionCookieWrite | null> {
  const current = nowInSeconds(now);
  if (current - claims.lastActivityAt < ACTIVITY_WRITE_INTERVAL_SECONDS) return null;
  const value = await bff.encodeSession(
    { ...claims, lastActivityAt: current },
    bff.policy.absoluteLifetimeSeconds,
  );
  const set = splitSessionCookie(bff.cookieName, value);
  const kept = new Set(set.map((part) => part.name));
  const remove = requestCookieNames.filter(
    (name) => (name === bff.cookieName || name.startsWith(`${bff.cookieName}.`)) && !kept.has(name),
  );
  return { set, remove };
}
