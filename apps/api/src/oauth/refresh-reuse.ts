import type { TokenResponse } from "../auth/token-issuer.js";

/** What a rotation answered, kept for the reuse interval under the hash of the rotated token. */
export interface RememberedRotation {
  /** The client the rotated token belonged to; nobody else gets the answer. */
  clientId: string;
  /** SHA-256 of the refresh token the rotation issued: replayed only while that one is live. */
  nextRefreshHash: string;
  /** The answer, a promise from the moment of rotation, so a concurrent retry waits for it. */
  answer: Promise<TokenResponse>;
}

interface Entry extends RememberedRotation {
  expiresAt: number;
}

export type RefreshReuseMemory = ReturnType<typeof createRefreshReuseMemory>;

/**
 * The refresh-token reuse interval (Auth0's "reuse interval", Okta's grace period): for
 * `intervalSeconds` after a rotation, the rotated token presented again by its client gets the
 * same answer instead of revoking its family, so a client whose answer was lost can retry.
 *
 * Kept in this process's memory only, never in the database: the answers hold live tokens.
 * Keys are SHA-256 hashes of the rotated tokens; entries are dropped once their interval ends.
 * With several API processes on one database a retry must reach the same process (the
 * reference API runs as one). `intervalSeconds` 0 turns it off.
 */
export function createRefreshReuseMemory(intervalSeconds: number, now: () => number = Date.now) {
  const entries = new Map<string, Entry>();

  /** Entries are kept in insertion order, which is expiry order: drop the expired ones. */
  function sweep(): void {
    const time = now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt > time) break;
      entries.delete(key);
    }
  }

  return {
    intervalSeconds,
    remember(rotatedHash: string, rotation: RememberedRotation): void {
      if (intervalSeconds === 0) return;
      sweep();
      entries.delete(rotatedHash);
      entries.set(rotatedHash, { ...rotation, expiresAt: now() + intervalSeconds * 1000 });
    },
    /** The remembered rotation of this token, while its interval lasts. */
    recall(rotatedHash: string): RememberedRotation | undefined {
      sweep();
      return entries.get(rotatedHash);
    },
    forget(rotatedHash: string): void {
      entries.delete(rotatedHash);
    },
    /** How many answers are remembered now (for tests). */
    size(): number {
      sweep();
      return entries.size;
    },
  };
}
