import { randomUUID } from "node:crypto";
import {
  type CoordinatedRefresh,
  type RefreshCoordinator,
  type RefreshOutcome,
  type RefreshRole,
  keepOutcomeMs,
  unavailableOutcome,
} from "./coordinator.js";
import { createMemoryRefreshCoordinator } from "./memory-coordinator.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { createOutcomeSealer } from "./sealed-outcome.js";
import { BffError } from "../errors/bff-error.js";

/** Options of {@link createRedisRefreshCoordinator}. */
export interface RedisCoordinatorOptions {
  /** From {@link redisConnection}. Required. */
  connection: RedisConnection;
  /** NEXTAUTH_SECRET: stored outcomes are AES-GCM-sealed with a key derived from it. Required. */
  secret: string;
  /** How long a finished refresh is kept for late requests with the old cookie. Default: 30 s. */
  graceMs?: number;
  /** How long a failure to reach the token endpoint is kept. Default: 1 s. */
  failureRetryMs?: number;
  /** How long the lock holds a refresh for one instance. Default 20 s (above the token call's timeouts). */
  lockMs?: number;
  /**
   * While Redis cannot be reached, refresh within this process anyway. Only safe with one
   * instance: two instances could spend one refresh token. Default: `false`, such a refresh
   * is `unavailable` (503, the session is kept) until Redis answers again.
   */
  localFallback?: boolean;
}

const releaseScript =
  'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end';

/**
 * Single-flight across web instances. In each process the in-memory coordinator runs first, so
 * a burst of requests makes one round of Redis calls. Then: a stored outcome is adopted; else
 * `SET lock NX PX` elects the instance that refreshes; it stores the encrypted outcome for the
 * grace window and publishes the key; the others wait for that message (or for the lock to
 * expire) and read the outcome. No polling.
 *
 * If Redis fails before the upstream call, nobody can promise that one instance alone spends the
 * refresh token: the refresh is `unavailable` (the session is kept; logged), unless
 * `localFallback` allows this process to go ahead. Once the upstream call was made its outcome
 * is returned whatever Redis does, so a token is never spent twice by one instance.
 */
export function createRedisRefreshCoordinator(
  options: RedisCoordinatorOptions,
): RefreshCoordinator {
  const { connection } = options;
  const { client } = connection;
  const graceMs = options.graceMs ?? 30_000;
  const failureRetryMs = options.failureRetryMs ?? 1_000;
  const lockMs = options.lockMs ?? 20_000;
  const sealer = createOutcomeSealer(options.secret);
  const local = createMemoryRefreshCoordinator({
    secret: options.secret,
    graceMs,
    failureRetryMs,
  });
  const lockKey = (key: string) => `${connection.prefix}refresh:lock:${key}`;
  const resultKey = (key: string) => `${connection.prefix}refresh:result:${key}`;

  async function stored(key: string): Promise<RefreshOutcome | null> {
    const value = await client.get(resultKey(key));
    return value === null ? null : sealer.open(key, value);
  }

  /** Waits for the lock holder's outcome; null when the lock went away without one. */
  async function waitForOutcome(key: string): Promise<RefreshOutcome | null> {
    const deadline = Date.now() + lockMs + 1_000;
    while (Date.now() < deadline) {
      // Listen before looking, so an announcement between the two is not missed.
      const announced = connection.waitFor(
        key,
        connection.subscriber.status === "ready" ? deadline - Date.now() : 250,
      );
      const outcome = await stored(key);
      if (outcome !== null) return outcome;
      const ttl = await client.pttl(lockKey(key));
      if (ttl === -2) return (await stored(key)) ?? null;
      await announced;
    }
    return unavailableOutcome;
  }

  async function distributed(
    key: string,
    refresh: () => Promise<RefreshOutcome>,
  ): Promise<CoordinatedRefresh> {
    let called = false;
    const lead = async (token: string): Promise<CoordinatedRefresh> => {
      const late = await stored(key);
      if (late !== null) {
        await client.eval(releaseScript, 1, lockKey(key), token).catch(() => 0);
        return { outcome: late, role: "adopted" };
      }
      called = true;
      let outcome: RefreshOutcome;
      try {
        outcome = await refresh();
      } catch {
        outcome = unavailableOutcome;
      }
      try {
        const ttl = keepOutcomeMs(outcome, graceMs, failureRetryMs);
        await client.set(resultKey(key), sealer.seal(key, outcome), "PX", ttl);
        await client.publish(connection.channel, key);
        await client.eval(releaseScript, 1, lockKey(key), token);
      } catch (error) {
        connection.reportFallback("Storing a refresh outcome", error);
      }
      return { outcome, role: "leader" };
    };

    try {
      if (!(await connection.connected())) {
        throw new BffError("redis_unavailable", "not connected");
      }
      const found = await stored(key);
      if (found !== null) return { outcome: found, role: "adopted" };
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const token = randomUUID();
        if ((await client.set(lockKey(key), token, "PX", lockMs, "NX")) === "OK") {
          return await lead(token);
        }
        const outcome = await waitForOutcome(key);
        if (outcome !== null) return { outcome, role: "joined" };
      }
      return { outcome: unavailableOutcome, role: "joined" };
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `lead` sets it; TypeScript does not follow assignments in closures
      if (called) throw error;
      if (options.localFallback !== true) {
        connection.reportRefusal("Token refresh coordination", error);
        return { outcome: unavailableOutcome, role: "leader" };
      }
      connection.reportFallback("Token refresh coordination", error);
      let outcome: RefreshOutcome;
      try {
        outcome = await refresh();
      } catch {
        outcome = unavailableOutcome;
      }
      return { outcome, role: "leader" };
    }
  }

  return {
    kind: "redis",
    async run(key, refresh) {
      let role: RefreshRole = "leader";
      const result = await local.run(key, async () => {
        const shared = await distributed(key, refresh);
        role = shared.role;
        return shared.outcome;
      });
      return { outcome: result.outcome, role: result.role === "leader" ? role : result.role };
    },
  };
}
