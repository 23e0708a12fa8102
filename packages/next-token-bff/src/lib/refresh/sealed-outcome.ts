import { createHash } from "node:crypto";
import { createSealer } from "../session/sealed-value.js";
import { readStoredTokens } from "../session/stored-tokens.js";
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
 * Stored refresh outcomes hold live tokens, so they are sealed (`session/sealed-value.ts`) and
 * bound to their key: a value copied to another key does not open.
 */
export function createOutcomeSealer(secret: string): OutcomeSealer {
  const sealer = createSealer(secret, "next-token-bff refresh outcome encryption key");
  return {
    seal: (entryKey, outcome) => sealer.seal(entryKey, outcome),
    open: (entryKey, sealed) => readOutcome(sealer.open(entryKey, sealed)),
  };
}

function readOutcome(value: unknown): RefreshOutcome | null {
  if (typeof value !== "object" || value === null) return null;
  const entry = value as { ok?: unknown; reason?: unknown; tokens?: unknown };
  if (entry.ok === false && (entry.reason === "expired" || entry.reason === "unavailable")) {
    return { ok: false, reason: entry.reason };
  }
  const tokens = entry.ok === true ? readStoredTokens(entry.tokens) : null;
  if (tokens === null) return null;
  const { issuedAt } = entry as { issuedAt?: unknown };
  return typeof issuedAt === "number" ? { ok: true, tokens, issuedAt } : { ok: true, tokens };
}
