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

/** What {@link SignInLimiter.reserve} decided for an attempt. */
export type SignInReservation =
  { refused: true; retryAfterSeconds: number } | { refused: false; delaySeconds: number };

/** How an attempt ended, for {@link SignInLimiter.settle}. */
export type SignInOutcome = "wrong_password" | "signed_in" | "not_counted";

/**
 * Brute-force limits in front of the upstream's token endpoint, after Drupal's flood control:
 * wrong passwords are counted per (account, browser address) and per address, and either
 * counter, once full, refuses that pair or that address. What one address does can therefore
 * never refuse another address a correct password. Failures of an account from all addresses
 * are counted too, but only to slow its sign-ins down (a growing delay with a cap): that holds
 * back a slow spread-out guesser without letting strangers lock the account.
 *
 * The upstream may count failures too (the reference API does, Drupal's password grant does
 * not), but it sees every BFF sign-in coming from the BFF's address; these counters see the
 * browser's.
 */
export interface SignInLimiter {
  /**
   * Reserves an attempt on the pair and address counters; refused when either is full (nothing
   * is reserved then), else the seconds to wait before the password is checked (0 unless the
   * account has many failures). Reserving before the check stops a parallel burst from slipping
   * past while the upstream is busy.
   */
  reserve(attempt: SignInAttempt): Promise<SignInReservation>;
  /**
   * A wrong password keeps the reserved points and counts against the account; a sign-in clears
   * the pair's failures; anything else (the upstream failed) gives the points back.
   */
  settle(attempt: SignInAttempt, outcome: SignInOutcome): Promise<void>;
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

function pairKey(account: string, address: string): string {
  return createHash("sha256").update(`${account}\n${address}`).digest("base64url");
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

/**
 * The wait before checking a password of an account with `failures` wrong passwords (from all
 * addresses) in its window: none below `accountDelayAfter`, then 1 s doubling per failure, at
 * most `accountDelayMaxSeconds`.
 */
export function accountDelaySeconds(failures: number, limits: SignInLimits): number {
  if (limits.accountDelayMaxSeconds <= 0 || failures < limits.accountDelayAfter) return 0;
  return Math.min(limits.accountDelayMaxSeconds, 2 ** (failures - limits.accountDelayAfter));
}

/** Counts account failures only: never full in practice, read for the delay. */
const uncapped = 1_000_000_000;

/** Failed sign-ins counted per (account, address), per address, and per account (delay only). */
export function createSignInLimiter(options: SignInLimiterOptions): SignInLimiter {
  const { limits, redis } = options;
  const perPair = counter(
    "account-address",
    limits.perAccountAndAddress,
    limits.accountWindowSeconds,
    redis,
  );
  const perAddress = counter("address", limits.perAddress, limits.addressWindowSeconds, redis);
  const accountFailures = counter("account-failures", uncapped, limits.accountWindowSeconds, redis);

  return {
    async reserve({ username, address }) {
      const account = accountKey(username);
      const pair = pairKey(account, address);
      const addressWait = await take(perAddress, address);
      if (addressWait !== undefined) return { refused: true, retryAfterSeconds: addressWait };
      const pairWait = await take(perPair, pair);
      if (pairWait !== undefined) {
        await perAddress.reward(address, 1); // a refused attempt is not a failed sign-in
        return { refused: true, retryAfterSeconds: pairWait };
      }
      const failures = (await accountFailures.get(account))?.consumedPoints ?? 0;
      return { refused: false, delaySeconds: accountDelaySeconds(failures, limits) };
    },
    async settle({ username, address }, outcome) {
      const account = accountKey(username);
      const pair = pairKey(account, address);
      if (outcome === "wrong_password") {
        await take(accountFailures, account);
        return;
      }
      await Promise.all([
        perAddress.reward(address, 1),
        outcome === "signed_in" ? perPair.delete(pair) : perPair.reward(pair, 1),
      ]);
    },
  };
}
