import type { SessionClaims } from "../session/claims.js";
import { parseCookieHeader } from "../session/cookie-header.js";
import type { EndedSessionStore } from "../session/ended-sessions.js";
import { type LifetimePolicy, nowInSeconds, sessionEndsAt } from "../session/lifetime-policy.js";
import { joinSessionCookie } from "../session/session-cookie.js";
import type { SessionCache } from "./session-cache.js";
import type { SessionDecoder } from "./session-decoder.js";

/**
 * The session behind a proxy request: the same rules as the library's session reader (our
 * claims, idle and absolute limits, refresh token alive, not ended), with the fast decoder and
 * the cache in front. `getServerSession` is never called on this path.
 */
export type ProxySession =
  | { status: "none" | "invalid"; cookieNames: string[] }
  | {
      status: "active" | "expired" | "ended";
      claims: SessionClaims;
      /** The joined cookie value (the cache key). */
      cookieValue: string;
      /** The request's cookie names that belong to the session (whole and chunks). */
      cookieNames: string[];
    };

export interface ProxySessionDeps {
  cookieName: string;
  policy: LifetimePolicy;
  endedSessions: EndedSessionStore;
  decode: SessionDecoder;
  cache: SessionCache | null;
  now?: () => number;
}

export function sessionCookieNames(names: Iterable<string>, cookieName: string): string[] {
  const prefix = `${cookieName}.`;
  const result: string[] = [];
  for (const name of names) {
    if (
      name === cookieName ||
      (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    ) {
      result.push(name);
    }
  }
  return result;
}

export async function readProxySession(
  cookieHeader: string | null,
  deps: ProxySessionDeps,
): Promise<ProxySession> {
  const cookies = parseCookieHeader(cookieHeader);
  const cookieNames = sessionCookieNames(
    cookies.map((cookie) => cookie.name),
    deps.cookieName,
  );
  const cookieValue = joinSessionCookie(cookies, deps.cookieName);
  if (cookieValue === undefined) {
    return { status: cookieNames.length > 0 ? "invalid" : "none", cookieNames };
  }
  let decoded = deps.cache?.get(cookieValue);
  if (decoded === undefined) {
    const fresh = await deps.decode(cookieValue);
    if (fresh === null) return { status: "invalid", cookieNames };
    decoded = fresh;
    deps.cache?.set(cookieValue, fresh);
  }
  const { claims } = decoded;
  const now = (deps.now ?? Date.now)();
  if (
    decoded.exp + 15 <= nowInSeconds(now) ||
    sessionEndsAt(claims, deps.policy) <= nowInSeconds(now)
  ) {
    deps.cache?.delete(cookieValue);
    return { status: "expired", claims, cookieValue, cookieNames };
  }
  const ended = await deps.endedSessions.isEnded({
    sessionId: claims.sessionId,
    sub: claims.user.sub,
    authTime: claims.authTime,
  });
  if (ended) {
    deps.cache?.delete(cookieValue);
    return { status: "ended", claims, cookieValue, cookieNames };
  }
  return { status: "active", claims, cookieValue, cookieNames };
}
