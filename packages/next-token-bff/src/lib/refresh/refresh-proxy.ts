import { NextRequest, NextResponse } from "next/server";
import type { SessionContext } from "../session/session-context.js";
import { type SessionReadResult, activeSession } from "../session/session-reader.js";
import { signInRedirect } from "../redirect/sign-in-redirect.js";
import { isPrefetch } from "../session/record-activity.js";
import type { SessionRefreshResult, SessionRefresher } from "./session-refresh.js";

/** A `proxy.ts` function. */
export type ProxyFunction = (request: NextRequest) => Promise<NextResponse> | NextResponse;

/**
 * The `proxy.ts` logic run after the refresh, handed the session the refresh has read and
 * checked (the refreshed one after a refresh), so it need not read the cookie again (issue 7):
 * `createAuthProxy(...).withSession`. A {@link ProxyFunction} fits too and ignores it.
 */
export type SessionProxyFunction = (
  request: NextRequest,
  session: SessionReadResult,
) => Promise<NextResponse> | NextResponse;

/** Options of {@link createSessionRefreshProxy}. */
export interface SessionRefreshProxyOptions {
  /** Returns the app's BFF. Required. */
  getBff: () => SessionContext;
  /** The app's refresher. Required. */
  refresher: SessionRefresher;
  /**
   * The `proxy.ts` logic to run after the refresh, e.g. `createAuthProxy(...).withSession`.
   * Default: none (`NextResponse.next()`).
   */
  next?: SessionProxyFunction;
  /** Paths that are refreshed but not passed to `next`. Default: `["/api/auth/session"]`. */
  refreshOnlyPaths?: string[];
  /** Where a page request goes when its refresh is refused. Default: `/login`. */
  loginPath?: string;
}

/** The session as the refresh left it, for `next` (`expired` never reaches `next`). */
function sessionAfter(
  result: Exclude<SessionRefreshResult, { status: "expired" }>,
  bff: SessionContext,
): SessionReadResult {
  if (result.status === "no_session") return { status: result.found };
  return activeSession(result.claims, bff.policy);
}

function appendSetCookies(response: NextResponse, setCookies: readonly string[]): NextResponse {
  for (const cookie of setCookies) response.headers.append("set-cookie", cookie);
  return response;
}

/**
 * A `proxy.ts` wrapper that refreshes due sessions before anything else runs
 * (refresh-in-proxy.md §6). On a refresh the new cookie is set on the response AND the request's
 * `Cookie` header is rewritten for this request's render (`NextResponse.next({ request: {
 * headers } })`, every other header kept), so the page rendered right after already uses the
 * new token. `next` then sees the rewritten request, and is handed the session read here (or
 * the refreshed one) instead of reading the cookie again. Outcomes: `expired` → the session ends,
 * the cookie is cleared and the page request goes to the sign-in page; `unavailable` → the
 * request goes on unchanged (server components see an expired token and ask again).
 *
 * Keep `/api/auth/session` in the matcher: next-auth writes its cookie back there, and without
 * the refresh it would write back a rotated refresh token.
 */
export function createSessionRefreshProxy(options: SessionRefreshProxyOptions) {
  const refreshOnly = new Set(options.refreshOnlyPaths ?? ["/api/auth/session"]);
  const loginPath = options.loginPath ?? "/login";
  const pass = async (request: NextRequest, session: SessionReadResult): Promise<NextResponse> =>
    options.next === undefined || refreshOnly.has(request.nextUrl.pathname)
      ? NextResponse.next()
      : await options.next(request, session);

  return async function sessionRefreshProxy(request: NextRequest): Promise<NextResponse> {
    const bff = options.getBff();
    const cookieHeader = request.headers.get("cookie");
    if (!request.cookies.getAll().some((cookie) => cookie.name.startsWith(bff.cookieName))) {
      return pass(request, { status: "none" });
    }
    const result = await options.refresher.refreshIfDue({
      cookieHeader,
      recordActivity: !isPrefetch(request) && !refreshOnly.has(request.nextUrl.pathname),
    });

    if (result.status === "expired" || result.status === "stale") {
      // A stale cookie (older than the session's newest, whose tokens are unknown here) only
      // signs this browser out; the session lives on.
      if (result.status === "expired") {
        try {
          await bff.endSession(result.claims);
        } catch (error) {
          bff.log("ending the session failed", error);
        }
      }
      const response = refreshOnly.has(request.nextUrl.pathname)
        ? NextResponse.json({}, { headers: { "cache-control": "no-store" } })
        : signInRedirect(request, loginPath, bff.config.nextAuthUrl);
      return appendSetCookies(response, result.clearCookies);
    }
    if (result.status !== "refreshed") return pass(request, sessionAfter(result, bff));

    const headers = new Headers(request.headers);
    headers.set("cookie", result.cookies.cookieHeader);
    const inner = await pass(
      new NextRequest(request.url, { method: request.method, headers }),
      sessionAfter(result, bff),
    );
    // A redirect or an answer from `next`: keep it, with the new cookie on it.
    if (inner.headers.has("location") || inner.headers.get("x-middleware-next") !== "1") {
      return appendSetCookies(inner, result.cookies.setCookies);
    }
    const response = NextResponse.next({ request: { headers } });
    // `next`'s own cookies (none after a refresh: the activity was recorded with it).
    for (const cookie of inner.headers.getSetCookie())
      response.headers.append("set-cookie", cookie);
    return appendSetCookies(response, result.cookies.setCookies);
  };
}
