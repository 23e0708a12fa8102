import type { NextRequest, NextResponse } from "next/server";
import { type BffConfig, loadBffConfig } from "../config/bff-config.js";
import type { UpstreamProvider } from "../providers/types.js";
import type { SessionRefresher } from "../refresh/session-refresh.js";
import { type Logger, logFunctions } from "../runtime/logger.js";
import type { SessionCacheOptions } from "../session/session-cache.js";
import { createSignInLimiter } from "../sign-in/sign-in-limiter.js";
import type { UpstreamProxyOptions } from "../upstream/upstream-options.js";
import type { UpstreamRoute } from "../upstream/upstream-route.js";
import { type BffCore, createBffCore } from "./bff.js";
import { loadRefreshConfig } from "../config/refresh-config.js";
import { sessionStoresFor } from "./stores-from-config.js";
import { type BffRoutes, type RouteHandlers, createRouteHandlers } from "./route-handlers.js";
import { type PageProxy, createProxyFunction } from "./proxy-function.js";
import { type BffSessions, createBffSessions } from "./sessions.js";
import { createSessionRefresher } from "../refresh/session-refresh.js";
import { createUpstreamRefreshHook } from "../upstream/upstream-refresh-hook.js";
import { createUpstreamRoute } from "../upstream/upstream-route.js";

/** Options of {@link createBff}; none is required. */
export interface CreateBffOptions {
  /** Where the configuration is read from, on first use (so `next build` needs none). Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** The upstream provider. Default: the one `UPSTREAM_KIND` names. */
  provider?: UpstreamProvider | ((config: BffConfig) => UpstreamProvider);
  /** Path prefixes that need a session: `proxy` sends signed-out visitors to sign in. Default: none. */
  protectedPaths?: string[];
  /** The sign-in page. Default: `/login`. */
  loginPath?: string;
  /** Where the catch-all route serves the library's routes. Default: see {@link BffRoutes}. */
  routes?: Partial<BffRoutes>;
  /** The upstream proxy's options (allowed paths, headers, limits, pool). Default: see `UpstreamRouteOptions`. */
  upstream?: UpstreamProxyOptions;
  /**
   * Answer upstream requests in `proxy.ts` (reads, and writes whose declared body fits the
   * limit), skipping Next's route pipeline; the rest go to the route handler. Default: `true`.
   */
  upstreamInProxy?: boolean;
  /** Runs around what `proxy` does for pages, e.g. to add a Content-Security-Policy nonce. Default: none. */
  aroundPages?: PageProxy;
  /** Decoded sessions by cookie value; `false` turns the cache off. Default: 1,000 entries, 5 minutes. */
  sessionCache?: SessionCacheOptions | false;
  /** A pino-compatible logger (`info`/`warn`/`error` with an object and a message). Default: JSON lines on stderr. */
  logger?: Logger;
}

/** What an app mounts: made once in `lib/bff.ts` by {@link createBff}. */
export interface Bff extends BffSessions {
  /** The checked configuration; reading it first validates the environment (throws `BffError` `misconfigured`). */
  readonly config: BffConfig;
  /** The upstream provider in use (e.g. whether it can revoke every session of a user). */
  readonly provider: UpstreamProvider;
  /** The catch-all route's handlers: `export const { GET, HEAD, POST, PUT, PATCH, DELETE } = bff.handlers`. */
  readonly handlers: RouteHandlers;
  /** The `proxy.ts` function: token refresh, sign-in redirects for protected paths, activity, upstream reads. */
  readonly proxy: (request: NextRequest) => Promise<NextResponse | Response>;
}

/**
 * The BFF of an app: owns everything with state (configuration, provider, refresher and its
 * coordinator, ended-session list, sign-in limits, pools, logger), built on first use, and
 * returns what the app mounts: `handlers` for one catch-all route, `proxy` for `proxy.ts`,
 * and the session and upstream readers for pages and route handlers.
 */
export function createBff(options: CreateBffOptions = {}): Bff {
  const env = options.env ?? process.env;
  const log = logFunctions(options.logger);
  let parts: { core: BffCore; refresher: SessionRefresher; upstream: UpstreamRoute } | undefined;
  const routes: BffRoutes = {
    auth: "/api/auth",
    upstream: "/api/upstream",
    refresh: "/api/session/refresh",
    signOutEverywhere: "/api/session/end-all",
    ...options.routes,
  };
  const loginPath = options.loginPath ?? "/login";

  function build() {
    if (parts !== undefined) return parts;
    const config = loadBffConfig(env);
    const shared = loadRefreshConfig(env);
    // With REDIS_URL (several instances) the ended list, the session generations, the sign-in
    // counters and the refresh single-flight live in Redis; otherwise in this process (and the
    // session file).
    const stores = sessionStoresFor(shared, config.secret, log.event);
    const provider =
      typeof options.provider === "function" ? options.provider(config) : options.provider;
    const core = createBffCore({
      config,
      ...(provider ? { provider } : {}),
      endedSessions: stores.endedSessions,
      generations: stores.generations,
      signInLimiter: createSignInLimiter({ limits: config.signInLimits, redis: stores.redis }),
      sessionCache: options.sessionCache,
      log: log.failure,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const builtCore = () => core;
    const refresher = createSessionRefresher({
      getBff: builtCore,
      coordinator: stores.coordinator,
      skewSeconds: shared.skewSeconds,
    });
    const upstream = createUpstreamRoute({
      ...options.upstream,
      getBff: builtCore,
      mountPath: routes.upstream,
      refresh: createUpstreamRefreshHook(refresher),
      refreshSkewSeconds: refresher.skewMs / 1000,
      log: log.failure,
    });
    parts = { core, refresher, upstream };
    return parts;
  }

  const getCore = () => build().core;
  const sessions = createBffSessions({
    getCore,
    upstreamOptions: options.upstream,
    loginPath,
    refreshPath: routes.refresh,
  });

  return {
    get config() {
      return build().core.config;
    },
    get provider() {
      return build().core.provider;
    },
    handlers: createRouteHandlers({
      routes,
      loginPath,
      getCore,
      getRefresher: () => build().refresher,
      getUpstream: () => build().upstream,
    }),
    proxy: createProxyFunction({
      getCore,
      getRefresher: () => build().refresher,
      getUpstream: () => build().upstream,
      protectedPaths: options.protectedPaths ?? [],
      loginPath,
      upstreamPath: routes.upstream,
      authSessionPath: `${routes.auth}/session`,
      upstreamInProxy: options.upstreamInProxy ?? true,
      aroundPages: options.aroundPages,
    }),
    ...sessions,
  };
}
