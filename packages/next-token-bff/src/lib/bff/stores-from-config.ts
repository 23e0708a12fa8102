import type { RefreshConfig } from "../config/refresh-config.js";
import type { RefreshCoordinator } from "../refresh/coordinator.js";
import { createMemoryRefreshCoordinator } from "../refresh/memory-coordinator.js";
import {
  type RedisConnection,
  type RefreshLog,
  redisConnection,
} from "../redis/redis-connection.js";
import { createRedisRefreshCoordinator } from "../refresh/redis-coordinator.js";
import { type EndedSessionStore, memoryEndedSessionStore } from "../session/ended-sessions.js";
import { redisEndedSessionStore } from "../session/redis-ended-sessions.js";
import { redisSessionGenerations } from "../session/redis-session-generations.js";
import { openSessionFile } from "../session/session-file.js";
import {
  type SessionGenerations,
  memorySessionGenerations,
} from "../session/session-generations.js";

/** Where sessions' shared state lives: Redis with `REDIS_URL`, else the session file, else memory. */
export interface SessionStores {
  endedSessions: EndedSessionStore;
  generations: SessionGenerations;
  coordinator: RefreshCoordinator;
  /** The Redis connection they share (for the sign-in counters too); none without `REDIS_URL`. */
  redis: RedisConnection | undefined;
}

export function sessionStoresFor(
  config: RefreshConfig,
  secret: string,
  log?: RefreshLog,
): SessionStores {
  const graceMs = config.graceSeconds * 1000;
  if (config.redisUrl !== undefined) {
    const connection = redisConnection({
      url: config.redisUrl,
      prefix: config.redisKeyPrefix,
      log,
    });
    return {
      endedSessions: redisEndedSessionStore(connection),
      generations: redisSessionGenerations(connection, secret, config.generationsMaxEntries),
      coordinator: createRedisRefreshCoordinator({
        connection,
        secret,
        graceMs,
        localFallback: config.localFallback,
      }),
      redis: connection,
    };
  }
  const coordinator = createMemoryRefreshCoordinator({ secret, graceMs });
  if (config.sessionStorePath === null) {
    return {
      endedSessions: memoryEndedSessionStore(),
      generations: memorySessionGenerations({ maxEntries: config.generationsMaxEntries }),
      coordinator,
      redis: undefined,
    };
  }
  const file = openSessionFile(config.sessionStorePath, config.generationsMaxEntries);
  return {
    endedSessions: file.endedSessions,
    generations: file.generations,
    coordinator,
    redis: undefined,
  };
}
