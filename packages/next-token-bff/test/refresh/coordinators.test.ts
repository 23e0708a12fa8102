import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RefreshOutcome } from "../../src/lib/refresh/coordinator.js";
import { createMemoryRefreshCoordinator } from "../../src/lib/refresh/memory-coordinator.js";
import { closeRedisConnections, redisConnection } from "../../src/lib/redis/redis-connection.js";
import { createRedisRefreshCoordinator } from "../../src/lib/refresh/redis-coordinator.js";
import { redisEndedSessionStore } from "../../src/lib/session/redis-ended-sessions.js";
import { createOutcomeSealer, refreshKeyOf } from "../../src/lib/refresh/sealed-outcome.js";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";

const secret = "refresh-coordinator-test-secret-0123456789";
const tokens = (n: number) => ({
  accessToken: `access-${n}`,
  accessTokenExpiresAt: Date.now() + 3000,
  refreshToken: `refresh-${n}`,
  refreshTokenExpiresAt: null,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An upstream stand-in that counts refresh calls and takes `ms` to answer. */
function countingRefresh(ms = 50, outcome: RefreshOutcome = { ok: true, tokens: tokens(2) }) {
  const counter = {
    calls: 0,
    refresh: async (): Promise<RefreshOutcome> => {
      counter.calls += 1;
      await sleep(ms);
      return outcome;
    },
  };
  return counter;
}

describe("sealed refresh outcomes", () => {
  it("open only with the same secret and key (encrypted, bound to the refresh-token hash)", () => {
    const sealer = createOutcomeSealer(secret);
    const key = refreshKeyOf("refresh-1");
    const sealed = sealer.seal(key, { ok: true, tokens: tokens(2) });
    expect(sealed).not.toContain("access-2");
    // `expect.objectContaining` is typed `any`; what it returns is a matcher object.
    const withAccess2: unknown = expect.objectContaining({ accessToken: "access-2" });
    expect(sealer.open(key, sealed)).toEqual({ ok: true, tokens: withAccess2 });
    expect(sealer.open(refreshKeyOf("refresh-9"), sealed)).toBeNull();
    expect(createOutcomeSealer(`${secret}-other`).open(key, sealed)).toBeNull();
  });
});

describe("B9 in-memory single-flight", () => {
  it("50 concurrent callers share one refresh; a late caller adopts the stored result", async () => {
    const coordinator = createMemoryRefreshCoordinator({ secret });
    const upstream = countingRefresh();
    const key = refreshKeyOf(`memory-${Math.random()}`);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => coordinator.run(key, upstream.refresh)),
    );
    expect(upstream.calls).toBe(1);
    expect(results.filter((r) => r.role === "leader")).toHaveLength(1);
    expect(results.filter((r) => r.role === "joined")).toHaveLength(49);
    const late = await coordinator.run(key, upstream.refresh);
    expect(late.role).toBe("adopted");
    expect(upstream.calls).toBe(1);
  });

  it("a refused refresh is kept for the grace window (never sent twice); an unreachable endpoint only briefly", async () => {
    let now = 1_000_000;
    const coordinator = createMemoryRefreshCoordinator({ secret, now: () => now });
    const refused = countingRefresh(1, { ok: false, reason: "expired" });
    const refusedKey = refreshKeyOf(`refused-${Math.random()}`);
    await coordinator.run(refusedKey, refused.refresh);
    now += 20_000;
    expect((await coordinator.run(refusedKey, refused.refresh)).outcome).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(refused.calls).toBe(1);

    const down = countingRefresh(1, { ok: false, reason: "unavailable" });
    const downKey = refreshKeyOf(`down-${Math.random()}`);
    await coordinator.run(downKey, down.refresh);
    await coordinator.run(downKey, down.refresh);
    expect(down.calls).toBe(1);
    now += 1_500;
    await coordinator.run(downKey, down.refresh);
    expect(down.calls).toBe(2);
  });

  it("a refresh that throws counts as unavailable, not as a sign-out", async () => {
    const coordinator = createMemoryRefreshCoordinator({ secret });
    const result = await coordinator.run(refreshKeyOf(`throws-${Math.random()}`), () =>
      Promise.reject(new Error("socket hang up")),
    );
    expect(result.outcome).toEqual({ ok: false, reason: "unavailable" });
  });
});

describe("B9 Redis single-flight (real redis-server)", { tags: ["redis"] }, () => {
  let redis: RedisServer;
  let url: string;
  const logs: string[] = [];
  const log = (_level: string, message: string) => void logs.push(message);

  beforeAll(async () => {
    redis = await startRedisServer();
    url = redis.url;
  });

  afterAll(async () => {
    await closeRedisConnections();
    await redis.stop();
  });

  /** Two "instances": separate connections (different prefixes would not share; same prefix does). */
  async function instances() {
    const a = redisConnection({ url, prefix: "test:", log });
    // A second connection to the same Redis stands for another web instance.
    const b = redisConnection({ url: `${url}/0`, prefix: "test:", log });
    for (let i = 0; i < 100 && !(a.ready() && b.ready()); i += 1) await sleep(20);
    await sleep(50); // subscribers
    return {
      a: createRedisRefreshCoordinator({ connection: a, secret }),
      b: createRedisRefreshCoordinator({ connection: b, secret }),
    };
  }

  it("two instances, 40 concurrent callers: one upstream refresh; the other instance is woken by pub/sub", async () => {
    const { a, b } = await instances();
    const upstreamA = countingRefresh(300);
    const upstreamB = countingRefresh(300);
    const key = refreshKeyOf(`redis-${Math.random()}`);
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0 ? a.run(key, upstreamA.refresh) : b.run(key, upstreamB.refresh),
      ),
    );
    expect(upstreamA.calls + upstreamB.calls).toBe(1);
    expect(results.every((r) => r.outcome.ok)).toBe(true);
    // Woken by the announcement, not by the 20 s lock expiry.
    expect(Date.now() - started).toBeLessThan(2_000);
    const late = await b.run(key, upstreamB.refresh);
    expect(late.role).toBe("adopted");
    expect(upstreamA.calls + upstreamB.calls).toBe(1);
  });

  it("the ended-session list is shared and expires with the cookie", async () => {
    const connA = redisConnection({ url, prefix: "test:", log });
    const storeA = redisEndedSessionStore(connA);
    const id = `session-${Math.random()}`;
    await storeA.endSession(id, Date.now() / 1000 + 60);
    const ttl = await connA.client.ttl(`test:ended:session:${id}`);
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
    // Another instance (its own connection, so not this process's memory copy) sees it.
    const connB = redisConnection({ url: `${url}/0`, prefix: "test:", log });
    expect(await connB.client.get(`test:ended:session:${id}`)).toBe("1");
    await storeA.endUserSessions("user-7", 1_000, Date.now() / 1000 + 60);
    expect(await connB.client.get("test:ended:user:user-7")).toBe("1000");
  });

  it("B9 Redis stopped: no refresh token is spent without the lock (503, session kept), and the log says why", async () => {
    const { a } = await instances();
    await redis.stop();
    await sleep(200);
    const upstream = countingRefresh(50);
    const key = refreshKeyOf(`down-${Math.random()}`);
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => a.run(key, upstream.refresh)),
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(upstream.calls).toBe(0);
    expect(results.every((r) => !r.outcome.ok && r.outcome.reason === "unavailable")).toBe(true);
    expect(logs.join("\n")).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable/);
    expect(logs.join("\n")).toMatch(/refreshes answer 503 and keep the session/);
  });

  it("Redis stopped, REFRESH_LOCAL_FALLBACK: refreshes happen once per process, without hanging", async () => {
    const connection = redisConnection({ url, prefix: "fallback:", log });
    const single = createRedisRefreshCoordinator({
      connection,
      secret: "s".repeat(32),
      localFallback: true,
    });
    await redis.stop();
    await sleep(200);
    const upstream = countingRefresh(50);
    const key = refreshKeyOf(`down-${Math.random()}`);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => single.run(key, upstream.refresh)),
    );
    expect(upstream.calls).toBe(1);
    expect(results.every((r) => r.outcome.ok)).toBe(true);
    expect(logs.join("\n")).toMatch(/handled within this process instead/);
  });
});
