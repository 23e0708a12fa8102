import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { ApiConfig } from "../config.js";

/**
 * Brute-force protection for the password grant (security catalogue C1): failed sign-ins are
 * counted per account and per client IP in a fixed window. While either counter is full every
 * attempt is refused, even one with the right password, until the window ends.
 *
 * Each attempt reserves a point on both counters *before* the password is checked, so a burst
 * of parallel guesses cannot all slip past the check while Argon2 is busy. A successful
 * sign-in gives the points back (and clears the account's counter), so in effect only
 * failures count.
 */
export interface LoginLimiter {
  /** Reserves an attempt; returns the seconds to wait when blocked (nothing is reserved then). */
  reserve(accountKey: string, ip: string): Promise<number | undefined>;
  /** A reserved attempt succeeded: clear the account's counter and refund the IP's point. */
  succeeded(accountKey: string, ip: string): Promise<void>;
}

function retryAfterSeconds(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

export function createLoginLimiter(limits: ApiConfig["loginLimits"]): LoginLimiter {
  const perAccount = new RateLimiterMemory({
    keyPrefix: "login-account",
    points: limits.perUser,
    duration: limits.windowSeconds,
  });
  const perIp = new RateLimiterMemory({
    keyPrefix: "login-ip",
    points: limits.perIp,
    duration: limits.windowSeconds,
  });

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
      const ipWait = await take(perIp, ip);
      if (ipWait !== undefined) return ipWait;
      const accountWait = await take(perAccount, accountKey);
      if (accountWait !== undefined) {
        await perIp.reward(ip, 1); // a refused attempt is not a failed sign-in
        return accountWait;
      }
      return undefined;
    },
    async succeeded(accountKey, ip) {
      await Promise.all([perAccount.delete(accountKey), perIp.reward(ip, 1)]);
    },
  };
}
