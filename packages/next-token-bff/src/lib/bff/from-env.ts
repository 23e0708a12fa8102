import { z } from "zod";
import { BffError } from "../errors/bff-error.js";
import { type EndedSessionStore, memoryEndedSessionStore } from "../session/ended-sessions.js";
import type { RefreshCoordinator } from "../refresh/coordinator.js";
import { createMemoryRefreshCoordinator } from "../refresh/memory-coordinator.js";
import { type RefreshLog, redisConnection } from "../redis/redis-connection.js";
import { createRedisRefreshCoordinator } from "../refresh/redis-coordinator.js";
import { redisEndedSessionStore } from "../session/redis-ended-sessions.js";

const envSchema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  REDIS_KEY_PREFIX: z.string().min(1).default("next-token-bff:"),
  REFRESH_SKEW_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  REFRESH_GRACE_SECONDS: z.coerce.number().min(1).max(600).default(30),
});

/** Refresh and Redis settings from the environment ({@link loadRefreshConfig}). */
export interface RefreshConfig {
  /** `REDIS_URL`. Unset: one web instance, coordination in memory. Default: `undefined`. */
  redisUrl: string | undefined;
  /** `REDIS_KEY_PREFIX`. Default: `next-token-bff:`. */
  redisKeyPrefix: string;
  /** Refresh when the access token expires this soon. Default 30 s. */
  skewSeconds: number;
  /** How long a finished refresh is kept for requests with the old cookie. Default 30 s. */
  graceSeconds: number;
}

/** `REDIS_URL`, `REDIS_KEY_PREFIX`, `REFRESH_SKEW_SECONDS`, `REFRESH_GRACE_SECONDS`. */
export function loadRefreshConfig(env: Record<string, string | undefined>): RefreshConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - ${issue.path.join(".")} ${issue.message}`,
    );
    throw new BffError("misconfigured", `Invalid refresh configuration:\n${problems.join("\n")}`);
  }
  return {
    redisUrl: result.data.REDIS_URL,
    redisKeyPrefix: result.data.REDIS_KEY_PREFIX,
    skewSeconds: result.data.REFRESH_SKEW_SECONDS,
    graceSeconds: result.data.REFRESH_GRACE_SECONDS,
  };
}

/** The ended-session list the configuration asks for: Redis with `REDIS_URL`, else memory. */
export function endedSessionStoreFor(config: RefreshConfig, log?: RefreshLog): EndedSessionStore {
  if (config.redisUrl === undefined) return memoryEndedSessionStore();
  return redisEndedSessionStore(
    redisConnection({ url: config.redisUrl, prefix: config.redisKeyPrefix, log }),
  );
}

/** The single-flight coordinator the configuration selects: Redis with `REDIS_URL`, else memory. */
export function refreshCoordinatorFor(
  config: RefreshConfig,
  secret: string,
  log?: RefreshLog,
): RefreshCoordinator {
  const graceMs = config.graceSeconds * 1000;
  if (config.redisUrl === undefined) return createMemoryRefreshCoordinator({ secret, graceMs });
  return createRedisRefreshCoordinator({
    connection: redisConnection({ url: config.redisUrl, prefix: config.redisKeyPrefix, log }),
    secret,
    graceMs,
  });
}
