import { randomBytes } from "node:crypto";

const PREFIX = "next-token-bff:no-refresh-token:";

/**
 * What a session keeps in place of a refresh token the upstream did not issue (an OpenID
 * Connect server without `offline_access` in the scope, an API without refresh). Unique per
 * sign-in, so no two sessions share a refresh key; never sent anywhere: `refresh` refuses it
 * (`session_expired`, the session ends when the access token is due) and `revoke` revokes the
 * access token instead.
 */
export function noRefreshToken(): string {
  return `${PREFIX}${randomBytes(12).toString("base64url")}`;
}

/** Whether `refreshToken` is the stand-in of {@link noRefreshToken}. */
export function isNoRefreshToken(refreshToken: string): boolean {
  return refreshToken.startsWith(PREFIX);
}
