import type { User } from "next-auth";
import type { UpstreamTokens, UpstreamUser } from "../providers/types.js";

/**
 * What `authorize()` hands to the `jwt` callback on sign-in. It never leaves the server:
 * next-auth passes it straight from one callback to the other within the sign-in request.
 */
export interface SignedInUser extends User {
  upstreamUser: UpstreamUser;
  upstreamTokens: UpstreamTokens;
}

/**
 * The four token fields and nothing else: the `jwt` callback spreads `upstreamTokens` into the
 * session, so whatever else a provider returns (a `user` hint, an `id_token`) must not get there.
 */
export function tokensOnly(tokens: UpstreamTokens): UpstreamTokens {
  return {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  };
}

/** The one place a sign-in's result is built, whichever method (form or code flow) it used. */
export function signedInUser(
  upstreamUser: UpstreamUser,
  upstreamTokens: UpstreamTokens,
): SignedInUser {
  return {
    id: upstreamUser.sub,
    name: upstreamUser.name,
    email: upstreamUser.email,
    upstreamUser,
    upstreamTokens: tokensOnly(upstreamTokens),
  };
}

export function isSignedInUser(user: unknown): user is SignedInUser {
  if (typeof user !== "object" || user === null) return false;
  const candidate = user as Partial<SignedInUser>;
  return (
    typeof candidate.upstreamUser?.sub === "string" &&
    typeof candidate.upstreamTokens?.accessToken === "string" &&
    typeof candidate.upstreamTokens.refreshToken === "string"
  );
}
