import type { RefreshHook } from "./refresh-hook.js";
import type { SessionRefresher } from "../refresh/session-refresh.js";
import { BffError } from "../errors/bff-error.js";

/**
 * The upstream route's `refresh` hook: the route has read the session and found the access
 * token due (or refused by the upstream). Refreshed → the new claims and cookies; `expired` →
 * null (the route ends the session, clears the cookie and answers 401 `session_expired`);
 * `stale` → the route answers 401 `session_expired` for this browser only;
 * `unavailable` → throws (the route keeps the session and answers 503).
 */
export function createUpstreamRefreshHook(refresher: SessionRefresher): RefreshHook {
  return async ({ claims, request }) => {
    const result = await refresher.refreshClaims(claims, {
      cookieHeader: request.headers.get("cookie"),
    });
    if (result.status === "refreshed") {
      return {
        claims: result.claims,
        setCookies: result.cookies.setCookies,
        adopted: result.role === "adopted",
      };
    }
    if (result.status === "expired") return null;
    if (result.status === "stale") return { stale: true };
    throw new BffError(
      "refresh_unavailable",
      "the token endpoint is unavailable; the session is kept",
    );
  };
}
