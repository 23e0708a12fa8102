import type { SessionContext } from "../session/session-context.js";
import { loginPathFor, redirectTarget, safeCallbackPath } from "../redirect/callback-url.js";
import type { SessionRefresher } from "./session-refresh.js";
import { retriedSetCookie, tokenFingerprint } from "./rejected-token.js";
import { parseCookieHeader } from "../session/cookie-header.js";

/** Options of {@link createSessionRefreshRoute}. */
export interface SessionRefreshRouteOptions {
  /** Returns the app's BFF. Required. */
  getBff: () => SessionContext;
  /** The app's refresher. Required. */
  refresher: SessionRefresher;
  /** Where the browser goes when the refresh is refused. Default: `/login`. */
  loginPath?: string;
}

const noStore = { "cache-control": "no-store" };

function redirect(location: string, appUrl: string, setCookies: readonly string[] = []): Response {
  const headers = new Headers({ ...noStore, location: redirectTarget(location, appUrl) });
  for (const cookie of setCookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * `GET /api/session/refresh?callbackUrl=/path`: where a server component sends the browser
 * when its access token has expired and `proxy.ts` did not refresh it (server components
 * cannot set cookies). Refreshes (single-flight like everywhere else), then goes back to the
 * same-origin `callbackUrl`; a refused refresh goes to the sign-in page; an unreachable token
 * endpoint gets a 503 page rather than a redirect loop. With `rejected=<fingerprint>` (the
 * upstream refused a token that was not due; `rejected-token.ts`) it refreshes at once.
 */
export function createSessionRefreshRoute(options: SessionRefreshRouteOptions) {
  const loginPath = options.loginPath ?? "/login";

  return async function GET(request: Request): Promise<Response> {
    const bff = options.getBff();
    const url = new URL(request.url);
    const target = safeCallbackPath(url.searchParams.get("callbackUrl"));
    const base = bff.config.nextAuthUrl;
    const cookieHeader = request.headers.get("cookie");
    // `rejected`: a server component's upstream call was refused although the token was not
    // due. Refresh anyway, but only while the cookie still holds that very token (otherwise it
    // was refreshed meanwhile: just go back and use the new one).
    const rejected = url.searchParams.get("rejected");
    let force = false;
    if (rejected !== null) {
      const state = await bff.readSession(parseCookieHeader(cookieHeader));
      force = state.status === "active" && tokenFingerprint(state.claims.accessToken) === rejected;
    }
    const result = await options.refresher.refreshIfDue({
      cookieHeader,
      recordActivity: true,
      force,
    });
    switch (result.status) {
      case "refreshed":
        return redirect(target, base, [
          ...result.cookies.setCookies,
          // Marks the new token: refused again, the server client ends the session (no loop).
          ...(force && result.role !== "adopted"
            ? [retriedSetCookie(result.claims.accessToken, bff.config.secureCookies)]
            : []),
        ]);
      case "not_due":
        return redirect(target, base);
      case "no_session":
        return redirect(loginPathFor(target, loginPath), base);
      case "expired":
        try {
          await bff.endSession(result.claims);
        } catch (error) {
          bff.log("ending the session failed", error);
        }
        return redirect(loginPathFor(target, loginPath), base, result.clearCookies);
      case "stale":
        // An older cookie whose session lives on: this browser signs in again, nothing ends.
        return redirect(loginPathFor(target, loginPath), base, result.clearCookies);
      case "unavailable":
        return new Response(
          "<!doctype html><title>Try again</title><p>The sign-in service cannot be reached right " +
            'now. You are still signed in. <a href="">Try again</a> in a moment.</p>',
          {
            status: 503,
            headers: { ...noStore, "content-type": "text/html; charset=utf-8", "retry-after": "5" },
          },
        );
    }
  };
}
