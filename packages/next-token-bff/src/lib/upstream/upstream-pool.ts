import { Pool } from "undici";
import { processSingleton } from "../runtime/process-singleton.js";

/** Settings of the shared undici keep-alive pool to the upstream. */
export interface UpstreamPoolOptions {
  /** Most open connections to the upstream (catalogue B10). Default 64. */
  connections?: number;
  /** How long an idle connection is kept open, ms. Default 10 s. */
  keepAliveTimeoutMs?: number;
  /** Time to open a connection, ms. Default 5 s. */
  connectTimeoutMs?: number;
}

/**
 * One keep-alive pool per upstream origin and settings, on `globalThis`: Next loads a module
 * once per layer (proxy, pages, route handlers) and they should share connections. undici is
 * used directly, not Next's patched `fetch`: no caching machinery, and about 0.3 ms less CPU
 * per request (fast-proxy.md). Pools never follow redirects.
 */
export function upstreamPool(origin: string, options: UpstreamPoolOptions = {}): Pool {
  const connections = options.connections ?? 64;
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? 10_000;
  const connectTimeout = options.connectTimeoutMs ?? 5_000;
  const key = `${origin} ${connections} ${keepAliveTimeout} ${connectTimeout}`;
  const pools = processSingleton("upstream-pools", () => new Map<string, Pool>());
  let pool = pools.get(key);
  if (pool === undefined || pool.closed || pool.destroyed) {
    pool = new Pool(origin, {
      connections,
      keepAliveTimeout,
      connect: { timeout: connectTimeout },
    });
    pools.set(key, pool);
  }
  return pool;
}
