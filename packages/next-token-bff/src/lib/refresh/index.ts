/**
 * `next-token-bff/refresh`: token refresh that never signs a user out by accident (issue 5).
 *
 * - `createSessionRefresher` / `refreshIfDue`: the core, shared by `proxy.ts` and route handlers.
 * - Coordinators (single-flight keyed by SHA-256 of the refresh token, outcomes kept encrypted
 *   for a grace window): `createMemoryRefreshCoordinator` (one process, on `globalThis`),
 *   `createRedisRefreshCoordinator` (several instances; falls back to the process when Redis
 *   is unreachable, and logs it).
 * - Where it runs: `createSessionRefreshProxy` (wrap your `proxy.ts`),
 *   `createUpstreamRefreshHook` (the upstream route's `refresh`), `createSessionRefreshRoute`
 *   (`/api/session/refresh`, for server components that found an expired token),
 *   `requireFreshSession` / `readRenderSession` (server components; they never refresh).
 * - Configuration: `loadRefreshConfig(process.env)` (`REDIS_URL`, `REDIS_KEY_PREFIX`,
 *   `REFRESH_SKEW_SECONDS`, `REFRESH_GRACE_SECONDS`), `createRefresherFromEnv`,
 *   `endedSessionStoreFor` (the ended-session list in Redis when configured).
 */
export type {
  CoordinatedRefresh,
  RefreshCoordinator,
  RefreshOutcome,
  RefreshRole,
} from "./coordinator.js";
export { createMemoryRefreshCoordinator } from "./memory-coordinator.js";
export type { MemoryCoordinatorOptions } from "./memory-coordinator.js";
export { createRedisRefreshCoordinator } from "./redis-coordinator.js";
export type { RedisCoordinatorOptions } from "./redis-coordinator.js";
export {
  redisConnection,
  closeRedisConnections,
  consoleRefreshLog,
} from "../redis/redis-connection.js";
export type {
  RedisConnection,
  RedisConnectionOptions,
  RefreshLog,
} from "../redis/redis-connection.js";
export { redisEndedSessionStore } from "../session/redis-ended-sessions.js";
export { refreshKeyOf, createOutcomeSealer } from "./sealed-outcome.js";
export { createSessionRefresher, sessionSetCookie } from "./session-refresh.js";
export type {
  RefreshCheck,
  RefreshRequestCookies,
  SessionCookieUpdate,
  SessionRefreshResult,
  SessionRefresher,
  SessionRefresherOptions,
} from "./session-refresh.js";
export { createUpstreamRefreshHook } from "../upstream/upstream-refresh-hook.js";
export { createSessionRefreshProxy } from "./refresh-proxy.js";
export type {
  ProxyFunction,
  SessionProxyFunction,
  SessionRefreshProxyOptions,
} from "./refresh-proxy.js";
export { createSessionRefreshRoute } from "./refresh-route.js";
export type { SessionRefreshRouteOptions } from "./refresh-route.js";
export { readRenderSession, requireFreshSession, refreshPathFor } from "./render.js";
export type { RenderSessionState } from "./render.js";
export {
  createRefresherFromEnv,
  endedSessionStoreFor,
  loadRefreshConfig,
  refreshCoordinatorFor,
} from "../bff/from-env.js";
export type { RefreshConfig } from "../bff/from-env.js";
