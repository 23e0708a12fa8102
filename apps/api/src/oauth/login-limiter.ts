import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { ApiConfig } from "../config.js";

/**
 * Brute-force protection for the password grant and the sign-in page (security catalogue C1),
 * after Drupal core's flood control (`user.flood`: `user_limit`/`user_window` per account and
 * client address, `ip_limit`/`ip_window` per client address). User names are public, so no
 * counter that a stranger can fill may refuse the account's owner:
 *
 * - **per (account, client address)**: failures of one account from one address; when full,
 *   that address is refused for that account (429) until the window ends;
 * - **per client address**: failures from one address across accounts (password spraying);
 *   when full, the address is refused for every account;
 * - **per account, any address**: only slows the account's answers down (a delay doubling from
 *   `startMs` up to `maxMs`), never refuses. A right password from an address that has not
 *   failed always gets in.
 *
 * Each attempt reserves a point on both refusing counters *before* the password is checked, so
 * a burst of parallel guesses cannot all slip past the check while Argon2 is busy. A successful
 * sign-in gives the points back (and clears the account's counters), so in effect only
 * failures count.
 */
export interface LoginLimiter {
  /**
   * Reserves an attempt: refused (nothing reserved), or allowed after `delayMs`. Without an
   * address (a trusted proxy sent none) only the account-wide slow-down applies.
   */
  reserve(accountKey: string, ip: string | null): Promise<Reservation>;
  /** A reserved attempt failed: the account-wide counter grows (the reserved points stay). */
  failed(accountKey: string): Promise<void>;
  /** A reserved attempt succeeded: clear the account's counters and refund the IP's point. */
  succeeded(accountKey: string, ip: string | null): Promise<void>;
}

export type Reservation =
  { outcome: "refused"; retryAfter: number } | { outcome: "allowed"; delayMs: number };

export type LoginLimits = ApiConfig["loginLimits"];

function retryAfterSeconds(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

/** The account-wide slow-down after `failures` failures: 0, then start·2ⁿ, at most max. */
export function slowdownMs(failures: number, slowdown: LoginLimits["slowdown"]): number {
  if (slowdown.maxMs === 0 || failures < slowdown.after) return 0;
  const doublings = Math.min(failures - slowdown.after, 30);
  return Math.min(slowdown.startMs * 2 ** doublings, slowdown.maxMs);
}

export function createLoginLimiter(limits: LoginLimits): LoginLimiter {
  const perAccountAndAddress = new RateLimiterMemory({
    keyPrefix: "login-account-address",
    points: limits.perAccountAndAddress,
    duration: limits.accountWindowSeconds,
  });
  const perAddress = new RateLimiterMemory({
    keyPrefix: "login-address",
    points: limits.perAddress,
    duration: limits.addressWindowSeconds,
  });
  // Counts only (penalty never refuses); the same window as the per-account limit.
  const perAccount = new RateLimiterMemory({
    keyPrefix: "login-account",
    points: Number.MAX_SAFE_INTEGER,
    duration: limits.accountWindowSeconds,
  });
  const pairKey = (accountKey: string, ip: string) => `${accountKey}\n${ip}`;

  /** Consumes one point; the limiter rejects with its state (not an Error) when over the limit. */
  async function take(limiter: RateLimiterMemory, key: string): Promise<number | undefined> {
    try {
      await limiter.consume(key, 1);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return retryAfterSeconds(rejection);
      throw rejection;
    }
  }

  return {
    async reserve(accountKey, ip) {
      if (ip === null) {
        const failures = (await perAccount.get(accountKey))?.consumedPoints ?? 0;
        return { outcome: "allowed", delayMs: slowdownMs(failures, limits.slowdown) };
      }
      const addressWait = await take(perAddress, ip);
      if (addressWait !== undefined) return { outcome: "refused", retryAfter: addressWait };
      const pairWait = await take(perAccountAndAddress, pairKey(accountKey, ip));
      if (pairWait !== undefined) {
        await perAddress.reward(ip, 1); // a refused attempt is not a failed sign-in
        return { outcome: "refused", retryAfter: pairWait };
      }
      const failures = (await perAccount.get(accountKey))?.consumedPoints ?? 0;
      return { outcome: "allowed", delayMs: slowdownMs(failures, limits.slowdown) };
    },
    async failed(accountKey) {
      await perAccount.penalty(accountKey, 1);
    },
    async succeeded(accountKey, ip) {
      if (ip === null) {
        await perAccount.delete(accountKey);
        return;
      }
      await Promise.all([
        perAccountAndAddress.delete(pairKey(accountKey, ip)),
        perAccount.delete(accountKey),
        perAddress.reward(ip, 1),
      ]);
    },
  };
}
