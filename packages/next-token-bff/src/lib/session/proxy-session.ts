import type { SessionClaims } from "./claims.js";
import { parseCookieHeader } from "./cookie-header.js";
import { type SessionCookieCheckDeps, checkSessionCookies } from "./check-session-cookies.js";
import type { SessionContext } from "./session-context.js";

/**
 * The session behind a proxy request: `checkSessionCookies` (the session reader's rules) with
 * the cache in front, plus the names of the request's session cookies (to clear them).
 * `getServerSession` is never called on this path.
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

export type ProxySessionDeps = SessionCookieCheckDeps;

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
  const result = await checkSessionCookies(cookies, deps);
  if (result.status === "none") {
    return { status: cookieNames.length > 0 ? "invalid" : "none", cookieNames };
  }
  if (result.status === "invalid") return { status: "invalid", cookieNames };
  return { ...result, cookieNames };
}

/** {@link readProxySession} with the app's rules, decoder and cache. */
export function readContextSession(
  bff: SessionContext,
  cookieHeader: string | null,
): Promise<ProxySession> {
  return readProxySession(cookieHeader, {
    cookieName: bff.cookieName,
    policy: bff.policy,
    endedSessions: bff.endedSessions,
    decode: bff.decodeSession,
    cache: bff.sessionCache,
  });
}
