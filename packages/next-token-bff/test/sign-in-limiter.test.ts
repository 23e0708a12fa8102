import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeRedisConnections, redisConnection } from "../src/lib/redis/redis-connection.js";
import { clientAddress } from "../src/lib/sign-in/client-address.js";
import { type SignInLimiter, createSignInLimiter } from "../src/lib/sign-in/sign-in-limiter.js";
import { type RedisServer, startRedisServer } from "./helpers/redis-server.js";

const limits = { perAddress: 3, perAccount: 4, windowSeconds: 900 };

/** Reserves and records a wrong password (the point stays); returns the wait when refused. */
async function failOnce(limiter: SignInLimiter, username: string, address: string) {
  return limiter.reserve({ username, address });
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
  it("refuses an address after its limit of failures, with the seconds to wait; others go on", async () => {
    const limiter = createSignInLimiter({ limits });
    for (let i = 0; i < 3; i += 1) {
      expect(await failOnce(limiter, `user-${i}`, "198.51.100.1")).toBeUndefined();
    }
    const wait = await failOnce(limiter, "user-3", "198.51.100.1");
    expect(wait).toBeGreaterThan(800);
    expect(wait).toBeLessThanOrEqual(900);
    expect(await failOnce(limiter, "user-3", "198.51.100.2")).toBeUndefined();
  });

  it("refuses an account after its limit of failures from any address, even a new one", async () => {
    const limiter = createSignInLimiter({ limits });
    for (let i = 0; i < 4; i += 1) {
      expect(await failOnce(limiter, "Bob", `198.51.100.${10 + i}`)).toBeUndefined();
    }
    expect(await failOnce(limiter, " bob ", "198.51.100.20")).toBeGreaterThan(0);
    // The refusal did not count against the new address.
    for (let i = 0; i < 3; i += 1) {
      expect(await failOnce(limiter, `other-${i}`, "198.51.100.20")).toBeUndefined();
    }
  });

  it("gives the points back for a successful sign-in and for upstream failures", async () => {
    const limiter = createSignInLimiter({ limits });
    const attempt = { username: "alice", address: "198.51.100.30" };
    for (let i = 0; i < 10; i += 1) {
      expect(await limiter.reserve(attempt)).toBeUndefined();
      await limiter.release(attempt, i % 2 === 0 ? "signed_in" : "not_counted");
    }
    // A success clears the account's failures.
    for (let i = 0; i < 2; i += 1) await failOnce(limiter, "carol", `198.51.100.${40 + i}`);
    await limiter.reserve({ username: "carol", address: "198.51.100.42" });
    await limiter.release({ username: "carol", address: "198.51.100.42" }, "signed_in");
    for (let i = 0; i < 4; i += 1) {
      expect(await failOnce(limiter, "carol", `198.51.100.${50 + i}`)).toBeUndefined();
    }
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
    await failOnce(b, "x2", "198.51.100.60");
    await failOnce(a, "x3", "198.51.100.60");
    expect(await failOnce(b, "x4", "198.51.100.60")).toBeGreaterThan(0);
  });

  it("keeps limiting in the process while Redis is down", async () => {
    const connection = redisConnection({ url: redis.url, prefix: "limiter-down:" });
    const limiter = createSignInLimiter({ limits, redis: connection });
    await redis.stop();
    for (let i = 0; i < 3; i += 1) {
      expect(await failOnce(limiter, `y${i}`, "198.51.100.70")).toBeUndefined();
    }
    expect(await failOnce(limiter, "y3", "198.51.100.70")).toBeGreaterThan(0);
  });
});
