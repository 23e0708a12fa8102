import type { SessionCache } from "./session-cache.js";
import type { SessionDecoder } from "./session-decoder.js";
import type { SessionClaims } from "./claims.js";
import type { EndedSessionStore } from "./ended-sessions.js";
import { type LifetimePolicy, nowInSeconds, sessionEndsAt } from "./lifetime-policy.js";
import { type CookieEntry, joinSessionCookie } from "./session-cookie.js";

/** What one check of a request's session cookies found. */
export type SessionCookieCheck =
  | { status: "none" | "invalid" }
  | {
      status: "active" | "expired" | "ended";
      claims: SessionClaims;
      /** The joined cookie value (the cache key). */
      cookieValue: string;
    };

export interface SessionCookieCheckDeps {
  cookieName: string;
  policy: LifetimePolicy;
  endedSessions: EndedSessionStore;
  decode: SessionDecoder;
  /** Decoded sessions by cookie value; null for none. */
  cache: SessionCache | null;
  now?: () => number;
}

/**
 * The one place that decides whether session cookies make an active session: our claims
 * decrypt, the JWT and the idle/absolute limits have not run out, and the session was not
 * ended. The session reader (pages, route handlers, `proxy.ts`) and the upstream route both
 * call it; the upstream route adds its cache.
 */
export async function checkSessionCookies(
  cookies: Iterable<CookieEntry>,
  deps: SessionCookieCheckDeps,
): Promise<SessionCookieCheck> {
  const cookieValue = joinSessionCookie(cookies, deps.cookieName);
  if (cookieValue === undefined) return { status: "none" };
  const decoded = await (deps.cache === null
    ? deps.decode(cookieValue)
    : deps.cache.getOrDecode(cookieValue, deps.decode));
  if (decoded === null) return { status: "invalid" };
  const { claims } = decoded;
  const now = nowInSeconds((deps.now ?? Date.now)());
  // A cached entry can outlive the JWT: check its `exp` (with the decoder's 15 s tolerance).
  if (decoded.exp + 15 <= now || sessionEndsAt(claims, deps.policy) <= now) {
    deps.cache?.delete(cookieValue);
    return { status: "expired", claims, cookieValue };
  }
  const ended = await deps.endedSessions.isEnded({
    sessionId: claims.sessionId,
    sub: claims.user.sub,
    authTime: claims.authTime,
  });
  if (ended) {
    deps.cache?.delete(cookieValue);
    return { status: "ended", claims, cookieValue };
  }
  return { status: "active", claims, cookieValue };
}
