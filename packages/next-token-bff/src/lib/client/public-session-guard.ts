import type { PublicSession } from "../session/public-session.js";

/** Narrows what `useSession()` returns (next-auth types it as its default session). */
export function asPublicSession(value: unknown): PublicSession | null {
  if (typeof value !== "object" || value === null) return null;
  const candidate = value as Partial<PublicSession>;
  return typeof candidate.user?.username === "string" &&
    Array.isArray(candidate.user.roles) &&
    typeof candidate.sessionExpiresAt === "number" &&
    typeof candidate.accessTokenExpiresAt === "number"
    ? (candidate as PublicSession)
    : null;
}
