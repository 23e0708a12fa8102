import type { SessionClaims } from "./claims.js";
import type { EndedSessionStore } from "./ended-sessions.js";
import { checkSessionCookies } from "./check-session-cookies.js";
import type { LifetimePolicy } from "./lifetime-policy.js";
import { type PublicSession, toPublicSession } from "./public-session.js";
import type { CookieEntry } from "./session-cookie.js";
import type { SessionCache } from "./session-cache.js";
import { type SessionDecoder, createSessionDecoder } from "./session-decoder.js";

/** The outcome of reading a request's session cookie with every rule applied. */
export type SessionReadResult =
  | { status: "active"; claims: SessionClaims; session: PublicSession }
  | { status: "none" | "invalid" | "expired" | "ended" };

export interface SessionReaderOptions {
  /** NEXTAUTH_SECRET. Required. */
  secret: string;
  /** The decoder to share (`Bff.decodeSession`). Default: a new one for `secret`. */
  decode?: SessionDecoder;
  /** Decoded sessions by cookie value (`Bff.sessionCache`). Default: none, every read decrypts. */
  cache?: SessionCache | null;
  cookieName: string;
  policy: LifetimePolicy;
  endedSessions: EndedSessionStore;
  now?: () => number;
}

/**
 * Decodes the session cookie and applies every server-side rule: our claims present, idle and
 * absolute limits, refresh token not expired, not signed out. Pages, route handlers and the
 * proxy all call this; nothing else decides whether a request is signed in.
 */
export function createSessionReader(options: SessionReaderOptions) {
  const deps = {
    cookieName: options.cookieName,
    policy: options.policy,
    endedSessions: options.endedSessions,
    // next-auth's own `decode` derives the key (HKDF) on every call; this one derives it once.
    decode: options.decode ?? createSessionDecoder(options.secret),
    cache: options.cache ?? null,
    now: options.now,
  };

  return async function readSession(cookies: Iterable<CookieEntry>): Promise<SessionReadResult> {
    const result = await checkSessionCookies(cookies, deps);
    if (result.status !== "active") return { status: result.status };
    return activeSession(result.claims, options.policy);
  };
}

/** The read result for claims already checked (or just refreshed): active, with the public session. */
export function activeSession(
  claims: SessionClaims,
  policy: LifetimePolicy,
): Extract<SessionReadResult, { status: "active" }> {
  return { status: "active", claims, session: toPublicSession(claims, policy) };
}

/** Reads and checks a request's session (`Bff.readSession`). */
export type SessionReader = ReturnType<typeof createSessionReader>;
