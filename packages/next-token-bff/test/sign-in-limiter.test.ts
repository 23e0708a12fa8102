import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeRedisConnections, redisConnection } from "../src/lib/redis/redis-connection.js";
import { clientAddress } from "../src/lib/sign-in/client-address.js";
import type { SignInLimits } from "../src/lib/config/bff-config.js";
import {
  type SignInLimiter,
  accountDelaySeconds,
  createSignInLimiter,
} from "../src/lib/sign-in/sign-in-limiter.js";
import { type RedisServer, startRedisServer } from "./helpers/redis-server.js";

const limits: SignInLimits = {
  perAccountAndAddress: 3,
  accountWindowSeconds: 21_600,
  perAddress: 5,
  addressWindowSeconds: 3600,
  accountDelayAfter: 4,
  accountDelayMaxSeconds: 8,
};

/**
 * One wrong password as `authorize` handles it: reserve, then settle as a wrong password.
 * Returns the wait when refused (nothing counted then), else undefined.
 */
async function failOnce(limiter: SignInLimiter, username: string, address: string) {
  const reservation = await limiter.reserve({ username, address });
  if (reservation.refused) return reservation.retryAfterSeconds;
  await limiter.settle({ username, address }, "wrong_password");
  return undefined;
}

/** The right password: refused (the wait), or signed in after the delay it was given. */
async function signIn(limiter: SignInLimiter, username: string, address: string) {
  const reservation = await limiter.reserve({ username, address });
  if (reservation.refused) return { refusedFor: reservation.retryAfterSeconds };
  await limiter.settle({ username, address }, "signed_in");
  return { delaySeconds: reservation.delaySeconds };
}

describe("C1 clientAddress: the browser's address from X-Forwarded-For", () => {
  it("reads the entry the outermost trusted proxy wrote, ignoring what the client put before it", () => {
    expect(clientAddress("203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("1.1.1.1, 2.2.2.2, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("1.1.1.1, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    // More hops configured than entries: the leftmost (the request skipped a proxy).
    expect(clientAddress("203.0.113.7", 3)).toBe("203.0.113.7");
  });

  it("with no trusted proxy, takes the address next start set (the last entry)", () => {
    expect(clientAddress("::ffff:127.0.0.1", 0)).toBe("127.0.0.1");
    expect(clientAddress("2001:DB8::1", 0)).toBe("2001:db8::1");
  });

  it("gives one shared key for missing or made-up values", () => {
    expect(clientAddress(undefined, 1)).toBe("unknown");
    expect(clientAddress("", 1)).toBe("unknown");
    expect(clientAddress(" , ", 0)).toBe("unknown");
    expect(clientAddress("not-an-address", 1)).toBe("unknown");
    expect(clientAddress("9".repeat(500), 1)).toBe("unknown");
  });
});

describe("C1 sign-in limiter (in memory)", () => {
  it("C1 refuses an (account, address) pair after its limit, with the seconds to wait; the account from another address and the address for another account go on", async () => {
    const limiter = createSignInLimiter({ limits });
    for (let i = 0; i < 3; i += 1) {
      expect(await failOnce(limiter, "alice", "198.51.100.1")).toBeUndefined();
    }
    const wait = await failOnce(limiter, " Alice ", "198.51.100.1");
    expect(wait).toBeGreaterThan(21_500);
    expect(wait).toBeLessThanOrEqual(21_600);
    // The right password from that address waits too (the pair is refused)...
    expect(await signIn(limiter, "alice", "198.51.100.1")).toEqual({
      refusedFor: expect.any(Number) as unknown,
    });
    // ...not from another address, and the address may still try another account.
    expect(await signIn(limiter, "alice", "198.51.100.2")).toEqual({ delaySeconds: 0 });
    expect(await failOnce(limiter, "bob", "198.51.100.1")).toBeUndefined();
  });

  it("C1 refuses an address after its limit of failures over many accounts (spraying); other addresses go on", async () => {
    const limiter = createSignInLimiter({ limits });
    for (let i = 0; i < 5; i += 1) {
      expect(await failOnce(limiter, `user-${i}`, "198.51.100.3")).toBeUndefined();
    }
    const wait = await failOnce(limiter, "user-5", "198.51.100.3");
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(await failOnce(limiter, "user-5", "198.51.100.4")).toBeUndefined();
    // A refused pair gave its address point back: no lost attempts for the address.
    const pairLimited = createSignInLimiter({ limits });
    for (let i = 0; i < 3; i += 1) await failOnce(pairLimited, "carol", "198.51.100.5");
    for (let i = 0; i < 3; i += 1) {
      expect(await failOnce(pairLimited, "carol", "198.51.100.5")).toBeGreaterThan(0);
    }
    for (let i = 0; i < 2; i += 1) {
      expect(await failOnce(pairLimited, `other-${i}`, "198.51.100.5")).toBeUndefined();
    }
    expect(await failOnce(pairLimited, "other-2", "198.51.100.5")).toBeGreaterThan(0);
  });

  it("C1 failures of one account from many addresses slow its sign-ins down (1 s doubling, capped) and never refuse it", async () => {
    const limiter = createSignInLimiter({ limits });
    const delays: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const reservation = await limiter.reserve({ username: "dave", address: `203.0.113.${i}` });
      expect(reservation.refused).toBe(false);
      if (!reservation.refused) delays.push(reservation.delaySeconds);
      await limiter.settle({ username: "dave", address: `203.0.113.${i}` }, "wrong_password");
    }
    expect(delays).toEqual([0, 0, 0, 0, 1, 2, 4, 8]);
    // 30 stuffed guesses from 10 addresses: the owner, from a fresh address, waits the cap.
    for (let i = 0; i < 30; i += 1) await failOnce(limiter, "dave", `203.0.114.${i % 10}`);
    expect(await signIn(limiter, "dave", "198.51.100.9")).toEqual({ delaySeconds: 8 });
    expect(accountDelaySeconds(10_000, limits)).toBe(8);
    expect(accountDelaySeconds(10_000, { ...limits, accountDelayMaxSeconds: 0 })).toBe(0);
  });

  it("C1 gives the points back for upstream failures; a sign-in clears its pair's failures", async () => {
    const limiter = createSignInLimiter({ limits });
    const attempt = { username: "erin", address: "198.51.100.30" };
    for (let i = 0; i < 10; i += 1) {
      expect((await limiter.reserve(attempt)).refused).toBe(false);
      await limiter.settle(attempt, i % 2 === 0 ? "signed_in" : "not_counted");
    }
    for (let i = 0; i < 2; i += 1) await failOnce(limiter, "frank", "198.51.100.31");
    expect(await signIn(limiter, "frank", "198.51.100.31")).toEqual({ delaySeconds: 0 });
    for (let i = 0; i < 3; i += 1) {
      expect(await failOnce(limiter, "frank", "198.51.100.31")).toBeUndefined();
    }
  });

  it("C1 property: whatever strangers try, in any order, a right password from an address that has not failed is never refused and waits at most the cap", async () => {
    const account = fc.constantFrom("alice", "ALICE", " alice", "bob", "carol");
    const address = fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `192.0.2.${i}`));
    const attack = fc.array(
      fc.record({ account, address, outcome: fc.constantFrom("wrong_password", "not_counted") }),
      { maxLength: 80 },
    );
    await fc.assert(
      fc.asyncProperty(attack, account, async (attempts, victim) => {
        const limiter = createSignInLimiter({ limits });
        for (const { account: username, address: from, outcome } of attempts) {
          const reservation = await limiter.reserve({ username, address: from });
          if (!reservation.refused) {
            await limiter.settle({ username, address: from }, outcome);
          }
        }
        const result = await signIn(limiter, victim, "198.51.100.200");
        expect(result).toEqual({ delaySeconds: expect.any(Number) as unknown });
        expect((result as { delaySeconds: number }).delaySeconds).toBeLessThanOrEqual(8);
      }),
      { numRuns: 300 },
    );
  });
});

describe("C1 sign-in limiter in Redis (real redis-server)", { tags: ["redis"] }, () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await closeRedisConnections();
    await redis.stop();
  });

  it("shares the counts between web instances", async () => {
    const first = redisConnection({ url: redis.url, prefix: "limiter-test:" });
    const second = redisConnection({ url: `${redis.url}/0`, prefix: "limiter-test:" });
    // Until a connection is up, each process counts for itself (insurance limiter).
    await expect.poll(() => first.ready() && second.ready()).toBe(true);
    const a = createSignInLimiter({ limits, redis: first });
    const b = createSignInLimiter({ limits, redis: second });
    await failOnce(a, "x1", "198.51.100.60");
    await failOnce(b, "x1", "198.51.100.60");
    await failOnce(a, "x1", "198.51.100.60");
    expect(await failOnce(b, "x1", "198.51.100.60")).toBeGreaterThan(0);
    // The address counter and the account's failures are shared too.
    await failOnce(a, "x2", "198.51.100.60");
    await failOnce(b, "x3", "198.51.100.60");
    expect(await failOnce(a, "x4", "198.51.100.60")).toBeGreaterThan(0);
    await failOnce(b, "x1", "198.51.100.61");
    const reservation = await a.reserve({ username: "x1", address: "198.51.100.62" });
    expect(reservation).toEqual({ refused: false, delaySeconds: 1 });
  });

  it("keeps limiting in the process while Redis is down", async () => {
    const connection = redisConnection({ url: redis.url, prefix: "limiter-down:" });
    const limiter = createSignInLimiter({ limits, redis: connection });
    await redis.stop();
    for (let i = 0; i < 5; i += 1) {
      expect(await failOnce(limiter, `y${i}`, "198.51.100.70")).toBeUndefined();
    }
    expect(await failOnce(limiter, "y5", "198.51.100.70")).toBeGreaterThan(0);
  });
});
