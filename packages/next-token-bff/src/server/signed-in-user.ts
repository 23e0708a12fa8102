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

export function isSignedInUser(user: unknown): user is SignedInUser {
  if (typeof user !== "object" || user === null) return false;
  const candidate = user as Partial<SignedInUser>;
  return (
    typeof candidate.upstreamUser?.sub === "string" &&
    typeof candidate.upstreamTokens?.accessToken === "string" &&
    typeof candidate.upstreamTokens.refreshToken === "string"
  );
}
