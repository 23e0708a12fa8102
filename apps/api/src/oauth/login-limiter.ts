import { RateLimiterMemory } from "rate-limiter-flexible";
import type { ApiConfig } from "../config.js";

/**
 * Brute-force protection for the password grant (security catalogue C1): failed sign-ins are
 * counted per account and per client IP in a fixed window. Only failures count; a success
 * clears the account's counter. While either counter is full every attempt is refused, even
 * one with the right password, until the window ends.
 */
export interface LoginLimiter {
  /** Seconds until the next attempt is allowed, or undefined when not blocked. */
  blockedFor(accountKey: string, ip: string): Promise<number | undefined>;
  recordFailure(accountKey: string, ip: string): Promise<void>;
  recordSuccess(accountKey: string): Promise<void>;
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

  async function waitFor(
    limiter: RateLimiterMemory,
    points: number,
    key: string,
  ): Promise<number | undefined> {
    const state = await limiter.get(key);
    if (!state || state.consumedPoints < points) return undefined;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  return {
    async blockedFor(accountKey, ip) {
      const waits = await Promise.all([
        waitFor(perAccount, limits.perUser, accountKey),
        waitFor(perIp, limits.perIp, ip),
      ]);
      const blocked = waits.filter((wait): wait is number => wait !== undefined);
      return blocked.length > 0 ? Math.max(...blocked) : undefined;
    },
    async recordFailure(accountKey, ip) {
      await Promise.all([perAccount.penalty(accountKey, 1), perIp.penalty(ip, 1)]);
    },
    async recordSuccess(accountKey) {
      await perAccount.delete(accountKey);
    },
  };
}
