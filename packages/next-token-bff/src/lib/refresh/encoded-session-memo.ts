import { createHash } from "node:crypto";
import type { SessionClaims } from "../session/claims.js";

/**
 * Re-encoded session cookies of refreshed sessions, kept for a few seconds. In a refresh storm
 * (100 requests with the same expired cookie share one refresh) every request ends up with the
 * same new claims; they get one encryption between them instead of one each.
 */
export interface EncodedSessionMemo {
  /**
   * The cookie value for `claims`: a memoised one when the same claims were encoded for the same
   * refresh key within the TTL, else `encode()` (remembered; concurrent callers share it).
   */
  valueFor(
    refreshKey: string,
    claims: SessionClaims,
    encode: () => Promise<string>,
  ): Promise<string>;
}

/** Options of {@link createEncodedSessionMemo}. */
export interface EncodedSessionMemoOptions {
  /** How long a value is reused, ms. Default: `5000` (a storm; the cookie's `exp` moves that little). */
  ttlMs?: number;
  /** At most this many values are kept. Default: `1000`. */
  maxEntries?: number;
  /** The clock (tests). Default: `Date.now`. */
  now?: () => number;
}

/**
 * A bounded, short-lived memo of encoded sessions, keyed by the refresh key (hash of the spent
 * refresh token) and a hash of the new claims: requests with the same expired cookie can still
 * differ in `lastActivityAt` (prefetches do not record activity), and those must not share.
 * Keys are hashes, so no token is kept in clear; values are the encrypted cookies.
 */
export function createEncodedSessionMemo(
  options: EncodedSessionMemoOptions = {},
): EncodedSessionMemo {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = Math.max(1, options.maxEntries ?? 1_000);
  const now = options.now ?? Date.now;
  const entries = new Map<string, { until: number; value: Promise<string> }>();

  function makeRoom(current: number): void {
    for (const [key, entry] of entries) if (entry.until <= current) entries.delete(key);
    // Still full: drop the oldest (a Map iterates in insertion order).
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  }

  return {
    valueFor(refreshKey, claims, encode) {
      const digest = createHash("sha256").update(JSON.stringify(claims)).digest("base64url");
      const key = `${refreshKey}.${digest}`;
      const current = now();
      const stored = entries.get(key);
      if (stored !== undefined && stored.until > current) return stored.value;
      if (entries.size >= maxEntries) makeRoom(current);
      const value = encode();
      entries.set(key, { until: current + ttlMs, value });
      // A failed encoding is not remembered: the next request tries again.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
  };
}
