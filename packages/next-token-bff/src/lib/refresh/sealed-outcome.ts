import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { RefreshOutcome } from "./coordinator.js";

/** The single-flight key: SHA-256 of the refresh token, so the token itself is never a key. */
export function refreshKeyOf(refreshToken: string): string {
  return createHash("sha256").update(refreshToken).digest("base64url");
}

export interface OutcomeSealer {
  seal(key: string, outcome: RefreshOutcome): string;
  /** Null when the value was not sealed with this secret for this key. */
  open(key: string, sealed: string): RefreshOutcome | null;
}

/**
 * Stored refresh outcomes hold live tokens, so they are encrypted (AES-256-GCM, a key derived
 * from NEXTAUTH_SECRET with HKDF) and bound to their key as associated data: a value copied to
 * another key does not open.
 */
export function createOutcomeSealer(secret: string): OutcomeSealer {
  const key = Buffer.from(
    hkdfSync("sha256", secret, "", "next-token-bff refresh outcome encryption key", 32),
  );
  return {
    seal(entryKey, outcome) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(entryKey));
      const body = Buffer.concat([cipher.update(JSON.stringify(outcome), "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    open(entryKey, sealed) {
      try {
        const raw = Buffer.from(sealed, "base64url");
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(entryKey));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
        return readOutcome(JSON.parse(text.toString("utf8")) as unknown);
      } catch {
        return null;
      }
    },
  };
}

function readOutcome(value: unknown): RefreshOutcome | null {
  if (typeof value !== "object" || value === null) return null;
  const entry = value as { ok?: unknown; reason?: unknown; tokens?: unknown };
  if (entry.ok === false && (entry.reason === "expired" || entry.reason === "unavailable")) {
    return { ok: false, reason: entry.reason };
  }
  if (entry.ok !== true || typeof entry.tokens !== "object" || entry.tokens === null) return null;
  const t = entry.tokens as Record<string, unknown>;
  if (
    typeof t.accessToken !== "string" ||
    typeof t.accessTokenExpiresAt !== "number" ||
    typeof t.refreshToken !== "string" ||
    (t.refreshTokenExpiresAt !== null && typeof t.refreshTokenExpiresAt !== "number")
  ) {
    return null;
  }
  return {
    ok: true,
    tokens: {
      accessToken: t.accessToken,
      accessTokenExpiresAt: t.accessTokenExpiresAt,
      refreshToken: t.refreshToken,
      refreshTokenExpiresAt: t.refreshTokenExpiresAt,
    },
  };
}
