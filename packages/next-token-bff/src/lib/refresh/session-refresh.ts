import { BffError } from "../errors/bff-error.js";
import { ACTIVITY_WRITE_INTERVAL_SECONDS } from "../session/record-activity.js";
import type { SessionContext } from "../session/session-context.js";
import type { SessionClaims } from "../session/claims.js";
import { parseCookieHeader } from "../session/cookie-header.js";
import { nowInSeconds } from "../session/lifetime-policy.js";
import { splitSessionCookie } from "../session/session-cookie.js";
import { readProxySession, sessionCookieNames } from "../session/proxy-session.js";
import type { RefreshCoordinator, RefreshOutcome, RefreshRole } from "./coordinator.js";
import { type EncodedSessionMemo, createEncodedSessionMemo } from "./encoded-session-memo.js";
import { refreshKeyOf } from "./sealed-outcome.js";
import { accessTokenDue } from "../session/token-due.js";

/** The session cookie written after a refresh: next-auth's chunks, and stale names to delete. */
export interface SessionCookieUpdate {
  /** The cookies to set: one, or next-auth's numbered chunks. */
  set: Array<{ name: string; value: string }>;
  /** Session cookie names the request carried that the new value no longer uses. */
  remove: string[];
  /** The same as complete `Set-Cookie` header values. */
  setCookies: string[];
  /** The request's `Cookie` header with the session replaced, for the same request's render. */
  cookieHeader: string;
}

/** What {@link SessionRefresher.refreshIfDue} found and did. */
export type SessionRefreshResult =
  /** No session cookie, an undecodable one, or one that had already ended: nothing to refresh. */
  | {
      status: "no_session";
      /** What the read found (`SessionReadResult`'s status), for steps handed the session. */
      found: "none" | "invalid" | "expired" | "ended";
    }
  /** The access token is not due yet. */
  | { status: "not_due"; claims: SessionClaims }
  | { status: "refreshed"; role: RefreshRole; claims: SessionClaims; cookies: SessionCookieUpdate }
  /** The upstream refused the refresh token: the session is over (reason `expired`). */
  | { status: "expired"; claims: SessionClaims; clearCookies: string[] }
  /** The token endpoint was unreachable or failed: keep the session, retry on the next request. */
  | { status: "unavailable"; claims: SessionClaims };

/** Input of {@link SessionRefresher.refreshIfDue}. */
export interface RefreshCheck {
  /** The request's `Cookie` header. */
  cookieHeader: string | null;
  /** Refresh even if not due (the upstream refused the access token). */
  force?: boolean;
  /**
   * Also record activity for the idle timeout (page navigations, not background calls). Such a
   * request refreshes up to 10 s before due when it would write the cookie anyway.
   * Default: `false`.
   */
  recordActivity?: boolean;
  /** The clock, epoch ms (tests). Default: `Date.now()`. */
  now?: number;
}

/** The refresh core shared by `proxy.ts`, the upstream route and the refresh route. */
export interface SessionRefresher {
  /** How long before the access token expires a refresh is due, ms. */
  readonly skewMs: number;
  /** The single-flight used for refreshes. */
  readonly coordinator: RefreshCoordinator;
  /** The whole check for `proxy.ts` and route handlers: read, decide, refresh, re-encode. */
  refreshIfDue(check: RefreshCheck): Promise<SessionRefreshResult>;
  /** Refreshes known claims (the upstream route's hook, which has already read the session). */
  refreshClaims(
    claims: SessionClaims,
    request: RefreshRequestCookies,
  ): Promise<Exclude<SessionRefreshResult, { status: "no_session" | "not_due" }>>;
  /** Whether the access token expires within `skewMs` of `now` (default: the current time). */
  isDue(claims: SessionClaims, now?: number): boolean;
}

/** The cookies of the request whose session is refreshed. */
export interface RefreshRequestCookies {
  /** The request's raw `Cookie` header. */
  cookieHeader: string | null;
  /** Also record activity for the idle timeout. Default: `false`. */
  recordActivity?: boolean;
  /** The clock, epoch ms (tests). Default: `Date.now()`. */
  now?: number;
}

/** Options of {@link createSessionRefresher}. */
export interface SessionRefresherOptions {
  /** Returns the app's BFF. Required. */
  getBff: () => SessionContext;
  /** Single-flight: in memory or Redis (`refreshCoordinatorFor`). Required. */
  coordinator: RefreshCoordinator;
  /** Refresh when the access token expires within this many seconds. Default 30. */
  skewSeconds?: number;
}

/** `Set-Cookie` for one session cookie part, with the attributes next-auth uses. */
export function sessionSetCookie(
  name: string,
  value: string,
  options: { maxAgeSeconds: number; secure: boolean; now?: number },
): string {
  const expires = new Date((options.now ?? Date.now()) + options.maxAgeSeconds * 1000);
  const maxAge = Math.max(0, Math.floor(options.maxAgeSeconds));
  return (
    `${name}=${value}; Path=/; Expires=${expires.toUTCString()}; Max-Age=${maxAge}; ` +
    `HttpOnly; SameSite=Lax${options.secure ? "; Secure" : ""}`
  );
}

/** The `Cookie` header without the `dropped` names (other cookies kept byte for byte), plus `added`. */
function rewriteCookieHeader(
  header: string | null,
  dropped: ReadonlySet<string>,
  added: Array<{ name: string; value: string }>,
): string {
  const kept = (header ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter((part) => {
      const separator = part.indexOf("=");
      return separator > 0 && !dropped.has(part.slice(0, separator).trim());
    });
  return [...kept, ...added.map((part) => `${part.name}=${part.value}`)].join("; ");
}

/**
 * `refreshSessionIfDue`, shared by `proxy.ts` (page navigations) and the upstream route
 * (API calls): when the access token is due, one upstream refresh per refresh token (the
 * coordinator), then the session re-encoded with next-auth's `encode` (same claims, same
 * maxAge) and chunked as next-auth chunks it. It never ends a session by itself: callers do,
 * on `expired`, where they can also clear the cookie.
 */
/** How much earlier than due a navigation that records activity refreshes (see refreshIfDue). */
const EARLY_REFRESH_FOR_ACTIVITY_MS = 10_000;

export function createSessionRefresher(options: SessionRefresherOptions): SessionRefresher {
  const skewMs = Math.max(0, (options.skewSeconds ?? 30) * 1000);
  const { coordinator } = options;
  // Per BFF: its secret and cookie lifetime are part of every value.
  let encoded: { bff: SessionContext; memo: EncodedSessionMemo } | undefined;

  function encodedFor(bff: SessionContext): EncodedSessionMemo {
    if (encoded?.bff !== bff) encoded = { bff, memo: createEncodedSessionMemo() };
    return encoded.memo;
  }

  const isDue = (claims: SessionClaims, now = Date.now()) => accessTokenDue(claims, skewMs, now);

  async function upstreamRefresh(
    bff: SessionContext,
    refreshToken: string,
  ): Promise<RefreshOutcome> {
    try {
      return { ok: true, tokens: await bff.provider.refresh(refreshToken) };
    } catch (error) {
      if (error instanceof BffError && error.code === "session_expired") {
        return { ok: false, reason: "expired" };
      }
      bff.log("token refresh failed, the session is kept", error);
      return { ok: false, reason: "unavailable" };
    }
  }

  async function refreshClaims(
    claims: SessionClaims,
    request: RefreshRequestCookies,
  ): Promise<Exclude<SessionRefreshResult, { status: "no_session" | "not_due" }>> {
    const bff = options.getBff();
    const names = sessionCookieNames(
      parseCookieHeader(request.cookieHeader).map((cookie) => cookie.name),
      bff.cookieName,
    );
    const refreshKey = refreshKeyOf(claims.refreshToken);
    const { outcome, role } = await coordinator.run(refreshKey, () =>
      upstreamRefresh(bff, claims.refreshToken),
    );
    if (!outcome.ok) {
      if (outcome.reason === "unavailable") return { status: "unavailable", claims };
      const cleared = [...new Set([bff.cookieName, ...names])].map((name) =>
        sessionSetCookie(name, "", { maxAgeSeconds: 0, secure: bff.config.secureCookies, now: 0 }),
      );
      return { status: "expired", claims, clearCookies: cleared };
    }
    const current = nowInSeconds(request.now ?? Date.now());
    const active =
      request.recordActivity === true &&
      current - claims.lastActivityAt >= ACTIVITY_WRITE_INTERVAL_SECONDS;
    const next: SessionClaims = {
      ...claims,
      ...outcome.tokens,
      lastActivityAt: active ? current : claims.lastActivityAt,
    };
    const maxAgeSeconds = bff.policy.absoluteLifetimeSeconds;
    // Requests that share this refresh share its encryption too (refresh storms).
    const value = await encodedFor(bff).valueFor(refreshKey, next, () =>
      bff.encodeSession(next, maxAgeSeconds),
    );
    const set = splitSessionCookie(bff.cookieName, value);
    const kept = new Set(set.map((part) => part.name));
    const remove = names.filter((name) => !kept.has(name));
    const secure = bff.config.secureCookies;
    const setCookies = [
      ...set.map((part) => sessionSetCookie(part.name, part.value, { maxAgeSeconds, secure })),
      ...remove.map((name) => sessionSetCookie(name, "", { maxAgeSeconds: 0, secure, now: 0 })),
    ];
    const cookieHeader = rewriteCookieHeader(request.cookieHeader, new Set(names), set);
    return {
      status: "refreshed",
      role,
      claims: next,
      cookies: { set, remove, setCookies, cookieHeader },
    };
  }

  return {
    skewMs,
    coordinator,
    isDue,
    refreshClaims,
    async refreshIfDue(check) {
      const bff = options.getBff();
      const session = await readProxySession(check.cookieHeader, {
        cookieName: bff.cookieName,
        policy: bff.policy,
        endedSessions: bff.endedSessions,
        decode: bff.decodeSession,
        cache: bff.sessionCache,
      });
      if (session.status !== "active") return { status: "no_session", found: session.status };
      const now = check.now ?? Date.now();
      // A navigation that is about to write the cookie anyway (activity) refreshes a little
      // early: a concurrent request just past the boundary could otherwise refresh while this
      // one writes the old tokens back, and the cookie that arrives last would win.
      const writesActivity =
        check.recordActivity === true &&
        nowInSeconds(now) - session.claims.lastActivityAt >= ACTIVITY_WRITE_INTERVAL_SECONDS;
      const dueBy = writesActivity ? now + EARLY_REFRESH_FOR_ACTIVITY_MS : now;
      if (check.force !== true && !isDue(session.claims, dueBy)) {
        return { status: "not_due", claims: session.claims };
      }
      return refreshClaims(session.claims, {
        cookieHeader: check.cookieHeader,
        recordActivity: check.recordActivity ?? false,
        now,
      });
    },
  };
}
