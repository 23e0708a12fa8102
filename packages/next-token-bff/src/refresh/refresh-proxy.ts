import { NextRequest, NextResponse } from "next/server";
import type { Bff } from "../server/bff.js";
import { loginPathFor } from "../shared/callback-url.js";
import type { SessionRefresher } from "./session-refresh.js";

/** A `proxy.ts` function. */
export type ProxyFunction = (request: NextRequest) => Promise<NextResponse> | NextResponse;

/** Options of {@link createSessionRefreshProxy}. */
export interface SessionRefreshProxyOptions {
  /** Returns the app's BFF. Required. */
  getBff: () => Bff;
  /** The refresher (`createRefresherFromEnv(getBff)()`). Required. */
  refresher: SessionRefresher;
  /** The `proxy.ts` logic to run after the refresh (e.g. `createAuthProxy`). Default: none (`NextResponse.next()`). */
  next?: ProxyFunction;
  /** Paths that are refreshed but not passed to `next`. Default: `["/api/auth/session"]`. */
  refreshOnlyPaths?: string[];
  /** Where a page request goes when its refresh is refused. Default: `/login`. */
  loginPath?: string;
}

function isPrefetch(request: NextRequest): boolean {
  return (
    request.headers.has("next-router-prefetch") ||
    request.headers.get("purpose") === "prefetch" ||
    request.headers.get("sec-purpose")?.includes("prefetch") === true
  );
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
 * new token. `next` then sees the rewritten request. Outcomes: `expired` → the session ends,
 * the cookie is cleared and the page request goes to the sign-in page; `unavailable` → the
 * request goes on unchanged (server components see an expired token and ask again).
 *
 * Keep `/api/auth/session` in the matcher: next-auth writes its cookie back there, and without
 * the refresh it would write back a rotated refresh token.
 */
export function createSessionRefreshProxy(options: SessionRefreshProxyOptions) {
  const refreshOnly = new Set(options.refreshOnlyPaths ?? ["/api/auth/session"]);
  const loginPath = options.loginPath ?? "/login";
  const pass = async (request: NextRequest): Promise<NextResponse> =>
    options.next === undefined || refreshOnly.has(request.nextUrl.pathname)
      ? NextResponse.next()
      : await options.next(request);

  return async function sessionRefreshProxy(request: NextRequest): Promise<NextResponse> {
    const bff = options.getBff();
    const cookieHeader = request.headers.get("cookie");
    if (!request.cookies.getAll().some((cookie) => cookie.name.startsWith(bff.cookieName))) {
      return pass(request);
    }
    const result = await options.refresher.refreshIfDue({
      cookieHeader,
      recordActivity: !isPrefetch(request) && !refreshOnly.has(request.nextUrl.pathname),
    });

    if (result.status === "expired") {
      try {
        await bff.endSession(result.claims);
      } catch (error) {
        console.error("[next-token-bff] ending the session failed:", error);
      }
      const { pathname, search } = request.nextUrl;
      const response = refreshOnly.has(pathname)
        ? NextResponse.json({}, { headers: { "cache-control": "no-store" } })
        : NextResponse.redirect(
            new URL(loginPathFor(`${pathname}${search}`, loginPath), bff.config.nextAuthUrl),
          );
      response.headers.set("cache-control", "no-store");
      return appendSetCookies(response, result.clearCookies);
    }
    if (result.status !== "refreshed") return pass(request);

    const headers = new Headers(request.headers);
    headers.set("cookie", result.cookies.cookieHeader);
    const inner = await pass(new NextRequest(request.url, { method: request.method, headers }));
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
