import type { SessionClaims } from "./claims.js";
import type { EndedSessionStore } from "./ended-sessions.js";
import { type LifetimePolicy, nowInSeconds, sessionEndsAt } from "./lifetime-policy.js";
import { type PublicSession, toPublicSession } from "./public-session.js";
import { type CookieEntry, joinSessionCookie } from "./session-cookie.js";
import { createSessionDecoder } from "../upstream/session-decoder.js";

/** The outcome of reading a request's session cookie with every rule applied. */
export type SessionReadResult =
  | { status: "active"; claims: SessionClaims; session: PublicSession }
  | { status: "none" | "invalid" | "expired" | "ended" };

export interface SessionReaderOptions {
  secret: string;
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
  const now = options.now ?? (() => Date.now());
  // next-auth's own `decode` derives the key (HKDF) on every call; this one derives it once.
  const decode = createSessionDecoder(options.secret);

  return async function readSession(cookies: Iterable<CookieEntry>): Promise<SessionReadResult> {
    const raw = joinSessionCookie(cookies, options.cookieName);
    if (raw === undefined) return { status: "none" };
    const decoded = await decode(raw);
    if (decoded === null) return { status: "invalid" };
    const { claims } = decoded;
    const current = nowInSeconds(now());
    if (sessionEndsAt(claims, options.policy) <= current) return { status: "expired" };
    const ended = await options.endedSessions.isEnded({
      sessionId: claims.sessionId,
      sub: claims.user.sub,
      authTime: claims.authTime,
    });
    if (ended) return { status: "ended" };
    return { status: "active", claims, session: toPublicSession(claims, options.policy) };
  };
}

/** Reads and checks a request's session (`Bff.readSession`). */
export type SessionReader = ReturnType<typeof createSessionReader>;
