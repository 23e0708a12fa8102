import { decodeJwt } from "jose";

/**
 * Claims of a JWT access token, read WITHOUT verifying the signature. Only use this for tokens
 * that this server just received from the upstream's token endpoint over its own connection:
 * they are trusted by how they arrived, and the upstream verifies them on every use.
 * Returns null for opaque (non-JWT) tokens.
 */
export function unverifiedTokenClaims(token: string): Record<string, unknown> | null {
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

/** `scope` as a list, whether the upstream sends an array (simple_oauth) or a space-separated string. */
export function scopeList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  if (typeof value === "string") return value.split(" ").filter(Boolean);
  return [];
}
