import { BffError, isBffError } from "../errors/bff-error.js";
import type { UpstreamTokens } from "../providers/types.js";
import { ACTIVITY_WRITE_INTERVAL_SECONDS } from "../session/record-activity.js";
import type { SessionContext } from "../session/session-context.js";
import { type SessionClaims, generationOf } from "../session/claims.js";
import { parseCookieHeader } from "../session/cookie-header.js";
import { nowInSeconds } from "../session/lifetime-policy.js";
import { splitSessionCookie } from "../session/session-cookie.js";
import { readContextSession, sessionCookieNames } from "../session/proxy-session.js";
import type { RefreshCoordinator, RefreshOutcome, RefreshRole } from "./coordinator.js";
import { type EncodedSessionMemo, createEncodedSessionMemo } from "./encoded-session-memo.js";
import { refreshKeyOf } from "./sealed-outcome.js";
import { accessTokenDue, effectiveSkewMs } from "../session/token-due.js";
import { lostRefreshAnswers, outcomeUnknown } from "./lost-answers.js";

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
  /**
   * The cookie is older than the session's newest generation, whose tokens are not known here
   * (e.g. after a restart without Redis): this browser must sign in again; the session and its
   * newest cookie live on, and nothing is revoked.
   */
  | { status: "stale"; claims: SessionClaims; clearCookies: string[] }
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
  refreshClaims(claims: SessionClaims, request: RefreshRequestCookies): Promise<RefreshedClaims>;
  /** Whether the access token expires within `skewMs` of `now` (default: the current time). */
  isDue(claims: SessionClaims, now?: number): boolean;
}

/** What {@link SessionRefresher.refreshClaims} comes to. */
export type RefreshedClaims = Exclude<SessionRefreshResult, { status: "no_session" | "not_due" }>;

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
  /** Single-flight: in memory or Redis (`sessionStoresFor`). Required. */
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
    refreshKey: string,
  ): Promise<RefreshOutcome> {
    const lost = lostRefreshAnswers();
    try {
      const tokens = await bff.provider.refresh(refreshToken);
      lost.take(refreshKey);
      return { ok: true, tokens, issuedAt: Date.now() };
    } catch (error) {
      if (error instanceof BffError && error.code === "session_expired") {
        if (lost.take(refreshKey)) {
          bff.log(
            "a refresh answer was lost (timeout) and the upstream refused the retry with the " +
              "same refresh token (it keeps no reuse interval): the session ends",
            error,
          );
        }
        return { ok: false, reason: "expired" };
      }
      if (outcomeUnknown(error)) {
        lost.remember(refreshKey);
        bff.log(
          "a token refresh lost its answer (timeout or dropped connection); the session is " +
            "kept and the next request retries with the same refresh token",
          error,
        );
      } else {
        bff.log("token refresh failed, the session is kept", error);
      }
      return { ok: false, reason: "unavailable" };
    }
  }

  /** The newest generation, or `unknown` when the shared store cannot say (Redis down). */
  async function newestGeneration(bff: SessionContext, sessionId: string) {
    try {
      return await bff.generations.newest(sessionId);
    } catch (error) {
      // Redis unreachable: the connection reports that once per outage.
      if (!isBffError(error, "redis_unavailable")) {
        bff.log("the session's newest generation cannot be read; the refresh waits", error);
      }
      return "unknown" as const;
    }
  }

  let warnedSkew = false;
  function warnIfSkewClamped(bff: SessionContext, claims: SessionClaims): void {
    if (warnedSkew || effectiveSkewMs(claims, skewMs) >= skewMs) return;
    warnedSkew = true;
    bff.log(
      `REFRESH_SKEW_SECONDS (${String(skewMs / 1000)} s) is more than half the access token's ` +
        "lifetime; refreshing at half its lifetime instead",
      "skew clamped",
    );
  }

  /** The re-encoded session cookie for `next` (shared by requests that share the refresh). */
  async function cookiesFor(
    bff: SessionContext,
    next: SessionClaims,
    names: string[],
    request: RefreshRequestCookies,
    memoKey: string,
  ): Promise<SessionCookieUpdate> {
    const maxAgeSeconds = bff.policy.absoluteLifetimeSeconds;
    const value = await encodedFor(bff).valueFor(memoKey, next, () =>
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
    return { set, remove, setCookies, cookieHeader };
  }

  function clearCookies(bff: SessionContext, names: string[]): string[] {
    return [...new Set([bff.cookieName, ...names])].map((name) =>
      sessionSetCookie(name, "", { maxAgeSeconds: 0, secure: bff.config.secureCookies, now: 0 }),
    );
  }

  async function refreshClaims(
    claims: SessionClaims,
    request: RefreshRequestCookies,
  ): Promise<RefreshedClaims> {
    const bff = options.getBff();
    const names = sessionCookieNames(
      parseCookieHeader(request.cookieHeader).map((cookie) => cookie.name),
      bff.cookieName,
    );
    const now = request.now ?? Date.now();
    const current = nowInSeconds(now);
    const active =
      request.recordActivity === true &&
      current - claims.lastActivityAt >= ACTIVITY_WRITE_INTERVAL_SECONDS;
    const lastActivityAt = active ? current : claims.lastActivityAt;

    // An older cookie of the session adopts its newest generation: it never spends a refresh
    // token that was already rotated (the upstream would see reuse and end the session).
    const newest = await newestGeneration(bff, claims.sessionId);
    if (newest === "unknown") return { status: "unavailable", claims };
    let base = claims;
    if (newest !== null && newest.generation > generationOf(claims)) {
      if (newest.tokens === null) {
        return { status: "stale", claims, clearCookies: clearCookies(bff, names) };
      }
      base = { ...claims, ...newest.tokens, generation: newest.generation, lastActivityAt };
      if (!isDue(base, now)) {
        const key = `adopt:${claims.sessionId}:${String(newest.generation)}`;
        const cookies = await cookiesFor(bff, base, names, request, key);
        return { status: "refreshed", role: "adopted", claims: base, cookies };
      }
    }

    warnIfSkewClamped(bff, base);
    const refreshKey = refreshKeyOf(base.refreshToken);
    const { outcome, role } = await coordinator.run(refreshKey, () =>
      upstreamRefresh(bff, base.refreshToken, refreshKey),
    );
    if (!outcome.ok) {
      if (outcome.reason === "unavailable") return { status: "unavailable", claims };
      return { status: "expired", claims: base, clearCookies: clearCookies(bff, names) };
    }
    const next: SessionClaims = {
      ...base,
      ...outcome.tokens,
      generation: generationOf(base) + 1,
      // The outcome's own time: requests sharing a refresh share one cookie encoding.
      accessTokenIssuedAt: outcome.issuedAt ?? now,
      lastActivityAt,
    };
    if (role === "leader") await recordGeneration(bff, next, outcome.tokens);
    // Requests that share this refresh share its encryption too (refresh storms).
    const cookies = await cookiesFor(bff, next, names, request, refreshKey);
    return { status: "refreshed", role, claims: next, cookies };
  }

  /** The new generation, for every later request that still carries an older cookie. */
  async function recordGeneration(
    bff: SessionContext,
    next: SessionClaims,
    tokens: UpstreamTokens,
  ): Promise<void> {
    const keepUntilMs =
      next.refreshTokenExpiresAt ?? (next.authTime + bff.policy.absoluteLifetimeSeconds) * 1000;
    try {
      await bff.generations.record(next.sessionId, generationOf(next), tokens, keepUntilMs);
    } catch (error) {
      bff.log("the session's new generation could not be stored", error);
    }
  }

  return {
    skewMs,
    coordinator,
    isDue,
    refreshClaims,
    async refreshIfDue(check) {
      const bff = options.getBff();
      const session = await readContextSession(bff, check.cookieHeader);
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
