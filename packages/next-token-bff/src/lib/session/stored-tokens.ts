import type { UpstreamTokens } from "../providers/types.js";

/** Upstream tokens read back from storage (after `Sealer.open`), or null when malformed. */
export function readStoredTokens(value: unknown): UpstreamTokens | null {
  if (typeof value !== "object" || value === null) return null;
  const t = value as Record<string, unknown>;
  if (
    typeof t.accessToken !== "string" ||
    typeof t.accessTokenExpiresAt !== "number" ||
    typeof t.refreshToken !== "string" ||
    (t.refreshTokenExpiresAt !== null && typeof t.refreshTokenExpiresAt !== "number")
  ) {
    return null;
  }
  return {
    accessToken: t.accessToken,
    accessTokenExpiresAt: t.accessTokenExpiresAt,
    refreshToken: t.refreshToken,
    refreshTokenExpiresAt: t.refreshTokenExpiresAt,
  };
}
