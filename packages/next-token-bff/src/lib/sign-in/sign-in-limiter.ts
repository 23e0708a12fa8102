import type { SignInLimits } from "../config/bff-config.js";
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";

/** One sign-in attempt: who it claims to be, and where it comes from. */
export interface SignInAttempt {
  /** The user name as typed. */
  username: string;
  /** The browser's address ({@link clientAddress}). */
  address: string;
}

/**
 * Brute-force limits in front of the upstream's token endpoint. The upstream may count
 * failures too (the reference API does, Drupal's password grant does not), but it sees every
 * BFF sign-in coming from the BFF's address; these counters see the browser's.
 */
export interface SignInLimiter {
  /**
   * Reserves an attempt on both counters; returns the seconds to wait when either is full
   * (nothing is reserved then). Reserving before the password is checked stops a parallel
   * burst from slipping past while the upstream is busy.
   */
  reserve(attempt: SignInAttempt): Promise<number | undefined>;
  /** The attempt was not a wrong password (signed in, or the upstream failed): give it back. */
  release(attempt: SignInAttempt, outcome: "signed_in" | "not_counted"): Promise<void>;
}

/** Options of {@link createSignInLimiter}. */
export interface SignInLimiterOptions {
  /** The limits. Required. */
  limits: SignInLimits;
  /**
   * Counts in Redis, shared by every web instance; while Redis is unreachable each process
   * counts for itself. Default: in this process only.
   */
  redis?: { client: Redis; prefix: string };
}

/** User names are case-insensitive at Drupal; hashed so Redis holds no user names. */
function accountKey(username: string): string {
  return createHash("sha256").update(username.trim().toLowerCase()).digest("base64url");
}

function counter(
  name: string,
  points: number,
  windowSeconds: number,
  redis: SignInLimiterOptions["redis"],
): RateLimiterAbstract {
  const keyPrefix = `sign-in-${name}`;
  const memory = new RateLimiterMemory({ keyPrefix, points, duration: windowSeconds });
  if (redis === undefined) return memory;
  return new RateLimiterRedis({
    storeClient: redis.client,
    keyPrefix: `${redis.prefix}${keyPrefix}`,
    points,
    duration: windowSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

/** Consumes a point; the limiter rejects with its state (not an Error) when the counter is full. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key, 1);
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    }
    throw rejection;
  }
}

/** Failed sign-ins counted per browser address and per account, in a fixed window. */
export function createSignInLimiter(options: SignInLimiterOptions): SignInLimiter {
  const { limits, redis } = options;
  const perAddress = counter("address", limits.perAddress, limits.windowSeconds, redis);
  const perAccount = counter("account", limits.perAccount, limits.windowSeconds, redis);

  return {
    async reserve({ username, address }) {
      const addressWait = await take(perAddress, address);
      if (addressWait !== undefined) return addressWait;
      const accountWait = await take(perAccount, accountKey(username));
      if (accountWait !== undefined) {
        await perAddress.reward(address, 1); // a refused attempt is not a failed sign-in
        return accountWait;
      }
      return undefined;
    },
    async release({ username, address }, outcome) {
      const account = accountKey(username);
      await Promise.all([
        perAddress.reward(address, 1),
        outcome === "signed_in" ? perAccount.delete(account) : perAccount.reward(account, 1),
      ]);
    },
  };
}
