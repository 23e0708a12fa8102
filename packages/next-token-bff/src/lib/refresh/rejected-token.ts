import { createHash } from "node:crypto";
import { safeCallbackPath } from "../redirect/callback-url.js";

/**
 * When the upstream refuses an access token that has not expired (revoked, or rotated by a
 * request in flight), a server component cannot refresh: cookies set during a render are
 * dropped. It sends the browser through the refresh route with `rejected=<fingerprint>`; the
 * route refreshes even though the token is not due, and marks the new token with a short-lived
 * cookie. If the upstream refuses that fresh token too, the server client sees the mark and
 * ends the session instead of going round again.
 */

/** A short, one-way fingerprint of an access token (never the token itself). */
export function tokenFingerprint(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest("base64url").slice(0, 22);
}

/** The mark's cookie name (`__Host-` with `Secure` on https). */
export function retriedCookieName(secure: boolean): string {
  return secure ? "__Host-next-token-bff.retried" : "next-token-bff.retried";
}

/** How long the mark lives: long enough for the redirect back to the page. */
export const RETRIED_MARK_SECONDS = 60;

export function retriedSetCookie(accessToken: string, secure: boolean): string {
  return (
    `${retriedCookieName(secure)}=${tokenFingerprint(accessToken)}; Path=/; ` +
    `Max-Age=${RETRIED_MARK_SECONDS}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`
  );
}

/** `/api/session/refresh?callbackUrl=…&rejected=…`: refresh now, the upstream refused the token. */
export function rejectedRefreshPathFor(
  refreshPath: string,
  callbackPath: string,
  accessToken: string,
): string {
  const query = new URLSearchParams({
    callbackUrl: safeCallbackPath(callbackPath),
    rejected: tokenFingerprint(accessToken),
  });
  return `${refreshPath}?${query.toString()}`;
}
