import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import type { SessionClaims } from "../lib/session/claims.js";
import { sessionCookieName, splitSessionCookie } from "../lib/session/session-cookie.js";

/** What {@link mintSessionCookie} puts in the session; every field has a test-friendly default. */
export interface MintSessionCookieOptions {
  /** The app's `NEXTAUTH_SECRET` (the cookie must decrypt with it). Required. */
  secret: string;
  /** The upstream access token the BFF will send as the bearer. Default: `"test-access-token"`. */
  accessToken?: string;
  /** The upstream refresh token. Default: `"test-refresh-token"`. */
  refreshToken?: string;
  /** Seconds until the access token is due. Default: `300`. */
  accessTokenLifetimeSeconds?: number;
  /** Seconds until the refresh token expires, or `null` for "unknown". Default: `1209600`. */
  refreshTokenLifetimeSeconds?: number | null;
  /** Display fields of the signed-in person. Default: `alice`, editor, no e-mail. */
  user?: Partial<SessionClaims["user"]>;
  /** Seconds since sign-in (`authTime`) and since the last activity. Default: `0`. */
  ageSeconds?: number;
  /** The cookie's lifetime, the app's `SESSION_MAX_AGE`. Default: `43200`. */
  maxAgeSeconds?: number;
  /** `true` for an `https://` `NEXTAUTH_URL` (`__Host-` cookie name). Default: `false`. */
  secureCookies?: boolean;
  /** The clock, epoch milliseconds. Default: `Date.now()`. */
  now?: number;
}

/** A minted session: the claims inside, the cookies (chunked like next-auth) and a `Cookie` header. */
export interface MintedSessionCookie {
  /** The claims encrypted into the cookie. */
  claims: SessionClaims;
  /** Cookie name/value pairs (`name`, or `name.0`, `name.1` … when longer than a chunk). */
  cookies: Array<{ name: string; value: string }>;
  /** The pairs joined as a request `Cookie` header value. */
  cookieHeader: string;
}

/**
 * Mints a session cookie as the BFF's sign-in would: next-auth's `encode` (JWE `dir`/A256GCM
 * with a key derived from `secret`) over the library's claim shape. For your own tests of pages
 * and route handlers: send `cookieHeader` and the request is signed in, without a sign-in form.
 * The upstream never saw these tokens: point the upstream at a fake, or mint with tokens from a
 * real password grant against the reference API (`startReferenceApi` of `@next-token-bff/api`).
 */
export async function mintSessionCookie(
  options: MintSessionCookieOptions,
): Promise<MintedSessionCookie> {
  const now = options.now ?? Date.now();
  const nowSeconds = Math.floor(now / 1000);
  const age = options.ageSeconds ?? 0;
  const refreshLifetime =
    options.refreshTokenLifetimeSeconds === undefined
      ? 1_209_600
      : options.refreshTokenLifetimeSeconds;
  const maxAge = options.maxAgeSeconds ?? 43_200;
  const claims: SessionClaims = {
    sessionId: randomBytes(16).toString("base64url"),
    user: {
      sub: "1",
      name: "alice",
      username: "alice",
      email: null,
      roles: ["authenticated", "editor"],
      ...options.user,
    },
    accessToken: options.accessToken ?? "test-access-token",
    accessTokenExpiresAt: now + (options.accessTokenLifetimeSeconds ?? 300) * 1000,
    refreshToken: options.refreshToken ?? "test-refresh-token",
    refreshTokenExpiresAt: refreshLifetime === null ? null : now + refreshLifetime * 1000,
    authTime: nowSeconds - age,
    lastActivityAt: nowSeconds - age,
  };
  const value = await encode({ token: claims, secret: options.secret, maxAge });
  const cookies = splitSessionCookie(sessionCookieName(options.secureCookies ?? false), value);
  return {
    claims,
    cookies,
    cookieHeader: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; "),
  };
}
