import type { SessionClaims } from "../session/claims.js";

/**
 * The token refresh the proxy calls (issue 5 provides it): once when the access token is due
 * (expired, or within `refreshSkewSeconds`), or once after an upstream 401, and then the
 * request is retried once with the new token.
 */
export interface RefreshRequest {
  /** The session's current claims (with the tokens to refresh). */
  claims: SessionClaims;
  /** The joined session cookie as the browser sent it. */
  cookieValue: string;
  /** The request's session cookie names (whole and chunks), for deleting stale chunks. */
  cookieNames: readonly string[];
  /** Why the refresh is asked for. */
  reason: "due" | "rejected";
  /** The incoming request. */
  request: Request;
}

/** What a {@link RefreshHook} hands back after a successful refresh. */
export interface RefreshedSession {
  /** The session after the refresh; its `accessToken` is used for the retry. */
  claims: SessionClaims;
  /** Complete `Set-Cookie` header values for the browser (new chunks, deleted stale ones). */
  setCookies: readonly string[];
  /** The session's newest tokens were adopted (the cookie was older); no refresh token was spent. */
  adopted?: boolean;
}

/**
 * The cookie is older than the session's newest generation and cannot adopt it: this browser
 * must sign in again, but the session is not ended.
 */
export interface StaleSession {
  stale: true;
}

/** Null when the refresh failed for good: the proxy then ends the session. */
export type RefreshHook = (
  request: RefreshRequest,
) => Promise<RefreshedSession | StaleSession | null>;
